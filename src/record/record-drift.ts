// Drift recorded as it happens (I/O). After snapshots are written, the drift
// items of the facts as they then stood are stored as the derived source
// `drift`, versioned like any facts: reading drift at a snapshot, or drift
// episodes over a year, then reads a handful of rows instead of rebuilding and
// re-checking every host. Items are recorded raw (before "cannot compare"):
// which sources were read is in each snapshot's outcomes, applied on reading
// (src/query/recorded-drift.ts).
//
// The record is brought up to date by replaying the versions written since it
// was last updated, re-checking only the entities they touch; how far it
// reaches, and with which version of the checks, is kept in `meta`. A
// snapshot beyond it (the writer died before recording, or an older treesnap
// wrote it) is checked live by readers and recorded by the next writer.
//
// What the replay holds (the head: the facts and drift items as of the last
// recorded snapshot) is kept per connection. When the snapshot to record is
// the one this connection just wrote right after the head, the head advances
// from the versions that write returned, without reading them back.
import { SOURCES } from '../snapshot/source-name.js';
import { clearDerivedSource, type Db, insertVersions, snapshotIdRange, versionsInRange, withWriteTransaction, writeMeta, type WriteResult, sqliteReader } from '../store/index.js';
import { applyFactChange, emptyClusterFacts, emptyTouched, type ClusterFacts, type FactChange } from '../query/cluster-facts.js';
import { RawDrift, type DriftChanges } from '../query/drift-walk.js';
import { fullScope, type DriftItem } from '../query/drift.js';
import { loadClusterFacts } from '../query/load-cluster-facts.js';
import { DRIFT_RECORD_VERSION, readRecordMark, recordedDrift, RECORD_MARK_KEY, type RecordMark } from '../query/recorded-drift.js';

export { DRIFT_RECORD_VERSION, recordedThrough } from '../query/recorded-drift.js';

// An item is stored under its driftKey ("<kind>:<ids>") with only what the key
// and its kind do not already say, {sides}, and its ids only when the key cannot
// give them back (none, or one with a comma): drift changes as often as probes
// flap, so its record is kept small (the ids were 48 of a version's ~90 bytes).
// The text keeps the checks' own key order (whether an item changed is decided
// on canonical JSON, in RawDrift), so an answer read from the record is the
// very text a live check gives. Records written before hold {ids, sides}; both read alike.
function recordValue(item: DriftItem): string {
  const keyGivesIds = item.ids.length > 0 && item.ids.every((id) => !id.includes(','));
  return JSON.stringify(keyGivesIds ? { sides: item.sides } : { ids: item.ids, sides: item.sides });
}

/** The facts and drift items as of snapshot `through`, advanced in place. */
export interface Head {
  through: number;
  facts: ClusterFacts;
  raw: RawDrift;
}

/** Keyed by the connection's handle: one head per open database. */
const heads = new WeakMap<Db, Head>();

function startHead(db: Db, through: number): Head {
  const cached = heads.get(db);
  if (cached?.through === through) return cached;
  if (through === 0) {
    const facts = emptyClusterFacts();
    return { through, facts, raw: new RawDrift(facts) };
  }
  const reader = sqliteReader(db);
  const facts = loadClusterFacts(reader, through);
  const raw = new RawDrift(facts);
  raw.seed(recordedDrift(reader, through));
  return { through, facts, raw };
}

function toWrites(changes: DriftChanges) {
  return [...changes].map(([key, item]) => ({ kind: 'drift' as const, entity: key, value: item && recordValue(item) }));
}

/** Snapshots replayed per read of their versions (the connection cannot write while it iterates). */
const WINDOW = 200;

type Version = Omit<FactChange, 'value'> & { value: string | null };

/** Each snapshot in (after, upTo] that has versions, with its versions. */
function* snapshotsWithVersions(db: Db, after: number, upTo: number): Generator<[number, Version[]]> {
  const rows = [...versionsInRange(db, after, upTo, SOURCES)];
  let start = 0;
  for (let i = 1; i <= rows.length; i++) {
    if (i < rows.length && rows[i]!.snapshot === rows[start]!.snapshot) continue;
    yield [rows[start]!.snapshot, rows.slice(start, i)];
    start = i;
  }
}

function apply(h: Head, rows: readonly Version[]) {
  const touched = emptyTouched();
  for (const v of rows) applyFactChange(h.facts, { ...v, value: v.value === null ? null : JSON.parse(v.value) }, touched);
  return touched;
}

/** Replays snapshots (h.through, upTo]: each one's versions, then the entities they touched re-checked. */
function replay(db: Db, h: Head, upTo: number): number {
  let written = 0;
  for (const [snapshot, rows] of snapshotsWithVersions(db, h.through, upTo)) {
    written += insertVersions(db, snapshot, 'drift', toWrites(h.raw.recheck(apply(h, rows))));
  }
  h.through = upTo;
  return written;
}

/** The first snapshot is checked whole: some checks concern entities no fact names (a service with no member). */
function replayFirst(db: Db, h: Head, first: number): number {
  for (const [, rows] of snapshotsWithVersions(db, 0, first)) apply(h, rows);
  h.through = first;
  return insertVersions(db, first, 'drift', toWrites(h.raw.recheck(fullScope(h.facts))));
}

/** The snapshot just written, applied from its own versions: no read-back. */
function advanceWritten(db: Db, h: Head, written: WriteResult): number {
  h.through = written.snapshotId;
  return insertVersions(db, written.snapshotId, 'drift', toWrites(h.raw.recheck(apply(h, written.written))));
}


export interface RecordOutcome {
  /** How many versions of drift items were written. */
  versions: number;
  /** The facts and drift items as of the latest snapshot; null when there is none. */
  head: Head | null;
}

/**
 * Records the drift of every snapshot not yet recorded, and returns the head
 * when `wantHead` (loading it if this connection holds none). `written`, when
 * given, is what this connection just wrote: if it directly follows the
 * record, the head advances from it. One write transaction: a crash leaves
 * the record where it was.
 */
export function advanceRecord(db: Db, opts: { written?: WriteResult; wantHead: boolean }): RecordOutcome {
  const { written } = opts;
  return withWriteTransaction(db, () => {
    const mark = readRecordMark(sqliteReader(db));
    const { first, last: head } = snapshotIdRange(db);
    if (mark && mark.version !== DRIFT_RECORD_VERSION) clearDerivedSource(db, 'drift');
    const through = mark?.version === DRIFT_RECORD_VERSION ? mark.through : 0;
    if (head === 0 || (through >= head && !opts.wantHead)) return { versions: 0, head: null };
    const h = startHead(db, through);
    heads.delete(db); // mutated below: only a head that reached the end may be reused
    let versions = 0;
    if (through > 0 && written?.snapshotId === through + 1 && head === written.snapshotId) {
      versions = advanceWritten(db, h, written);
    } else {
      if (through === 0) versions = replayFirst(db, h, first);
      while (h.through < head) versions += replay(db, h, Math.min(head, h.through + WINDOW));
    }
    if (through < head) {
      writeMeta(db, RECORD_MARK_KEY, JSON.stringify({ version: DRIFT_RECORD_VERSION, through: head } satisfies RecordMark));
    }
    heads.set(db, h);
    return { versions, head: h };
  });
}

/** Records the drift of every snapshot not yet recorded; returns how many versions of drift items it wrote. */
export function recordDrift(db: Db): number {
  return advanceRecord(db, { wantHead: false }).versions;
}
