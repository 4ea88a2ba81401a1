// How a fact version's value is stored (pure). Most values are their canonical
// JSON as text. The two kinds that are both large and rewritten often, a
// host's registration (a HostConfig, ~690 bytes) and a ZooKeeper node's Stat
// (~140 bytes), are stored as a BLOB instead: one byte naming a dictionary,
// then the text deflated against it (raw DEFLATE with a preset dictionary).
// Their field names and usual words then cost almost nothing: a HostConfig
// takes ~170 bytes and a Stat ~30 (bench storage section, README "Storage
// design"). Values are packed one by one, so any version still reads alone.
//
// The store's readers (version-reads.ts, changed-keys.ts, state-checkpoints.ts,
// cluster-export.ts) unpack every value they hand out, so nothing above the
// store ever sees a BLOB; text values, including every value written before
// migration 0006, are read as they are. A dictionary's text may never change
// once written: a new one takes a new id, and the old stays readable.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { DatabaseError } from '../errors.js';
import type { FactKind } from '../snapshot/fact.js';

interface Dictionary {
  /** The first byte of every value packed with it. */
  id: number;
  /** Deflate finds matches in the last bytes soonest: the commonest words go last. */
  text: Buffer;
}

const REGISTRATION_V1: Dictionary = {
  id: 1,
  text: Buffer.from(
    '{"address":{"host":"127.0.0.1","port":8835},"availabilityZone":"","cpuCount":32,' +
      '"datastores":[{"id":"","name":"","tags":["SHARED_VMFS"],"type":"VSAN"},{"id":"","name":"","tags":["NFS"],"type":"NFS_41"},' +
      '{"id":"","name":"datastore-local-","tags":[],"type":"LOCAL_VMFS"}],"deploymentId":"","esxVersion":"6.0.0",' +
      '"imageDatastoreIds":[""],"managementOnly":null,"memoryMb":131072,' +
      '"networks":[{"id":"VM Network","types":["VM"]},{"id":"Management Network","types":["MANAGEMENT","VMOTION"]}]}',
  ),
};

const STAT_V1: Dictionary = {
  id: 2,
  text: Buffer.from('{"ctime":17964512510790,"cversion":0,"czxid":"","ephemeralOwner":"0","mtime":17964512510790,"mzxid":"","pzxid":"","version":0}'),
};

/** The kinds stored packed, each with the dictionary new values are packed against. */
export const PACKED_KINDS: Partial<Record<FactKind, Dictionary>> = {
  registration: REGISTRATION_V1,
  stat: STAT_V1,
};

/** Every dictionary a value may name, current or retired. */
const BY_ID: ReadonlyMap<number, Dictionary> = new Map([REGISTRATION_V1, STAT_V1].map((d) => [d.id, d]));

/** What a value column holds: text, a packed value, or null (the fact stopped holding). */
export type StoredValue = string | Uint8Array | null;

// A value is small: a 2 KiB window holds the dictionary, and the least hash
// memory costs nothing in size. Measured per 690-byte HostConfig: 12 us and no
// RSS growth over 5,000 values, against 35 us and +32 MiB with zlib's defaults
// (which allocate a 256 KiB state per call). Inflating needs no such settings.
const SMALL = { level: 9, windowBits: 11, memLevel: 2 } as const;

/** A value as it is written: packed when its kind has a dictionary and packing makes it smaller. */
export function packValue(kind: FactKind, value: string | null): string | Buffer | null {
  const dictionary = PACKED_KINDS[kind];
  if (value === null || !dictionary) return value;
  const deflated = deflateRawSync(value, { dictionary: dictionary.text, ...SMALL });
  if (deflated.length + 1 >= Buffer.byteLength(value)) return value;
  return Buffer.concat([Buffer.of(dictionary.id), deflated]);
}

/**
 * A packed value that does not read back: damage inside a row, which SQLite's
 * own checks cannot see. It counts as corruption (integrity.ts isCorruption),
 * so `verify` names the snapshot holding it and a query says the file is damaged.
 */
export class DamagedValueError extends DatabaseError {}

/** A stored value as its canonical JSON text. */
export function unpackValue(stored: StoredValue): string | null {
  if (stored === null || typeof stored === 'string') return stored;
  const dictionary = BY_ID.get(stored[0] ?? -1);
  if (!dictionary) throw new DamagedValueError(`a stored value names dictionary ${stored[0] ?? '(none)'}, which this treesnap does not know`);
  try {
    return inflateRawSync(stored.subarray(1), { dictionary: dictionary.text }).toString('utf8');
  } catch {
    throw new DamagedValueError('a stored value does not inflate');
  }
}

/** A version row as read: its value, and the value it replaced where read, unpacked in place. */
export function unpackRow<T extends { value: string | null; before?: string | null }>(row: T): T {
  if (row.value !== null && typeof row.value !== 'string') row.value = unpackValue(row.value);
  if (row.before != null && typeof row.before !== 'string') row.before = unpackValue(row.before);
  return row;
}

/** unpackRow over rows read as a list, in place. */
export function unpackRows<T extends { value: string | null; before?: string | null }>(rows: T[]): T[] {
  for (const row of rows) unpackRow(row);
  return rows;
}

/** unpackRow over rows streamed from a statement. */
export function* unpackEach<T extends { value: string | null; before?: string | null }>(rows: Iterable<T>): IterableIterator<T> {
  for (const row of rows) yield unpackRow(row);
}
