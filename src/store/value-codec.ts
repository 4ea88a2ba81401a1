// How JSON texts are stored packed (pure, but for a memo of short texts).
// Most fact values are their canonical JSON as text. The two kinds that are
// both large and rewritten often, a host's registration (a HostConfig, ~690
// bytes) and a ZooKeeper node's Stat (~140 bytes), are stored as a BLOB
// instead: one byte naming a dictionary, then the text deflated against it
// (raw DEFLATE with a preset dictionary). Their field names and usual words
// then cost almost nothing: a HostConfig takes ~170 bytes and a Stat ~30
// (bench storage section, README "Storage design"). Recorded drift items, the
// commonest version of a long history, are packed alike against their sides'
// usual shapes. Values are packed one by one, so any version still reads alone.
// A collection's per-source stats (snapshot_sources.stats, written for every
// source of every snapshot, mostly the same few counts) are packed alike. A
// probe's status, small but the commonest version, is packed by its shape
// instead (status-codec.ts): deflate would cost each read ~6 µs.
//
// The store's readers (version-reads.ts, changed-keys.ts, state-checkpoints.ts,
// snapshot-index.ts, salvage.ts, cluster-export.ts) unpack every text they
// hand out, so nothing above the store ever sees a BLOB; texts written before
// migration 0006 are read as they are. A dictionary's text may never change
// once written: a new one takes a new id, and the old stays readable.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { DatabaseError } from '../errors.js';
import type { FactKind } from '../snapshot/fact.js';
import { packStatus, STATUS_SHAPE_ID, unpackStatus } from './status-codec.js';

interface Dictionary {
  /** The first byte of every value packed with it. */
  id: number;
  /** Deflate finds matches in the last bytes soonest: the commonest words go last. */
  text: Buffer;
}

/** How one kind's values are packed: against a dictionary, or by the status shape. */
type Packing = { by: 'dictionary'; dictionary: Dictionary } | { by: 'status-shape' };

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

/** Every source's stats (src/snapshot/source-stats.ts), the probe's last as the longest. */
const OUTCOME_STATS_V1: Dictionary = {
  id: 3,
  text: Buffer.from(
    '{"address_from_snapshot":1}{"member":2}{"missing":0}{"registration":5000}{"child":157}{"asked":157,"role":157}' +
      '{"leaf":157,"placement":5000}{"nodes":5000,"online":5000,"offline":0,"latency_p50_ms":3.1,"latency_p99_ms":18.7,"latency_max_ms":23.12}',
  ),
};

/**
 * Recorded drift items' sides (src/record/record-drift.ts), one shape per
 * drift kind, the commonest last: an OFFLINE host not in /missing packs to a
 * few bytes (remembered when read, unpackValue), two leaves' host lists to
 * little more than one (the second is mostly a copy of the first).
 */
const DRIFT_V1: Dictionary = {
  id: 5,
  text: Buffer.from(
    '{"sides":{"root":{"owner":"","address":{"host":"10.0.0.1","port":13000}},"chairman":{"owner":"","address":null}}}' +
      '{"sides":{"zk.roles":{"owner":"","address":null,"hosts":[""]},"chairman":null}}' +
      '{"sides":{"zk.services":{"members":[{"name":"node-","address":{"host":"10.0.0.1","port":13000},"error":null}]}}}' +
      '{"sides":{"zk.hosts":{"kind":"decode","message":""}}}' +
      '{"sides":{"zk.roles":{"host":"","port":8835},"chairman":{"host":"","port":8835},"zk.hosts":{"host":"","port":8835}}}' +
      '{"sides":{"zk.hosts":true,"zk.roles":false}}{"sides":{"zk.roles":"","agents":""}}{"sides":{"zk.roles":"","chairman":""}}' +
      '{"sides":{"zk.roles":["",""],"agents":["",""]}}{"sides":{"zk.roles":["",""],"chairman":["",""]}}' +
      '{"sides":{"zk.missing":true,"zk.roles":{"leaf":""}}}{"sides":{"zk.missing":true,"status":"ONLINE"}}' +
      '{"sides":{"status":"OFFLINE","zk.missing":false}}',
  ),
};

/** The kinds stored packed, each with how new values are packed. */
export const PACKED_KINDS: Partial<Record<FactKind, Packing>> = {
  registration: { by: 'dictionary', dictionary: REGISTRATION_V1 },
  stat: { by: 'dictionary', dictionary: STAT_V1 },
  status: { by: 'status-shape' },
  drift: { by: 'dictionary', dictionary: DRIFT_V1 },
};

/**
 * Which kinds are packed, and with what (`registration:1,stat:2,status:4`):
 * what a file's bytes depend on besides its schema. The bench names its
 * cached histories by it, so a new packing is measured on a history written
 * with it.
 */
export const PACKING_SIGNATURE = Object.entries(PACKED_KINDS)
  .map(([kind, p]) => `${kind}:${p.by === 'dictionary' ? p.dictionary.id : STATUS_SHAPE_ID}`)
  .join(',');

/** Every dictionary a stored text may name, current or retired. Ids are shared with status-codec.ts (4): a new one takes 6 or more. */
const BY_ID: ReadonlyMap<number, Dictionary> = new Map([REGISTRATION_V1, STAT_V1, OUTCOME_STATS_V1, DRIFT_V1].map((d) => [d.id, d]));

/** What a value column holds: text, a packed value, or null (the fact stopped holding). */
export type StoredValue = string | Uint8Array | null;

// A packed value inflates (and deflates) to about a KiB or less (a HostConfig
// ~690 bytes). zlib's default output chunk is 16 KiB, a fresh allocation per
// call; a chunk of 1 KiB comes from Buffer's pool. Measured on this machine
// kind over the bench's year history, 3 alternating rounds: unpacking 30,000
// packed versions (registrations, Stats, drift items) 8.9-9.8 -> 5.7-6.7 µs a
// value; packing 20,000 registrations and Stats 10.8 -> 8.6 µs.
const CHUNK_BYTES = 1024;

// A value is small: a 2 KiB window holds the dictionary, and the least hash
// memory costs nothing in size. Measured per 690-byte HostConfig: 12 us and no
// RSS growth over 5,000 values, against 35 us and +32 MiB with zlib's defaults
// (which allocate a 256 KiB state per call). Inflating needs only the chunk.
const SMALL = { level: 9, windowBits: 11, memLevel: 2, chunkSize: CHUNK_BYTES } as const;

/** A value as it is written: packed when its kind is packed and packing makes it smaller. */
export function packValue(kind: FactKind, value: string | null): string | Buffer | null {
  const packing = PACKED_KINDS[kind];
  if (value === null || !packing) return value;
  if (packing.by === 'dictionary') return packWith(packing.dictionary, value);
  const packed = packStatus(value);
  return packed && packed.length < Buffer.byteLength(value) ? packed : value;
}

/** A source's stats as they are written (snapshot_sources.stats). */
export function packStats(stats: string): string | Buffer {
  return packWith(OUTCOME_STATS_V1, stats);
}

function packWith(dictionary: Dictionary, text: string): string | Buffer {
  const deflated = deflateRawSync(text, { dictionary: dictionary.text, ...SMALL });
  if (deflated.length + 1 >= Buffer.byteLength(text)) return text;
  return Buffer.concat([Buffer.of(dictionary.id), deflated]);
}

/**
 * A packed value that does not read back: damage inside a row, which SQLite's
 * own checks cannot see. It counts as corruption (integrity.ts isCorruption),
 * so `verify` names the snapshot holding it and a query says the file is damaged.
 */
export class DamagedValueError extends DatabaseError {}

// Most stats repeat from one collection to the next ({"leaf":157,"placement":5000}
// packs to 6 bytes): a short packed text is remembered, so reading a run of
// snapshots inflates each distinct one once. Measured on the 10,000-snapshot
// bench history (medians of 30 rounds): the outcomes of 50 snapshots 1.5 ms as
// text, 4.7 ms inflating every packed stats, 2.6 ms with this (the probe's
// stats differ every time and are inflated each).
const SHORT_BYTES = 12;
const MEMO_ENTRIES = 1024;
const shortTexts = new Map<string, string>();

/** A stored value (or stats) as its JSON text. */
export function unpackValue(stored: StoredValue): string | null {
  if (stored === null || typeof stored === 'string') return stored;
  if (stored[0] === STATUS_SHAPE_ID) return statusText(stored);
  if (stored.length > SHORT_BYTES) return inflated(stored);
  const key = Buffer.from(stored.buffer, stored.byteOffset, stored.length).toString('latin1');
  const known = shortTexts.get(key);
  if (known !== undefined) return known;
  const text = inflated(stored);
  if (shortTexts.size >= MEMO_ENTRIES) shortTexts.clear();
  shortTexts.set(key, text);
  return text;
}

function statusText(stored: Uint8Array): string {
  try {
    return unpackStatus(stored);
  } catch (e) {
    throw new DamagedValueError(`a stored status does not read: ${(e as Error).message}`);
  }
}

function inflated(stored: Uint8Array): string {
  const dictionary = BY_ID.get(stored[0] ?? -1);
  if (!dictionary) throw new DamagedValueError(`a stored value names dictionary ${stored[0] ?? '(none)'}, which this treesnap does not know`);
  try {
    return inflateRawSync(stored.subarray(1), { dictionary: dictionary.text, chunkSize: CHUNK_BYTES }).toString('utf8');
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
