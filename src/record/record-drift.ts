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
import { clearDerivedSource, type Db, type HistoryReader, type HistoryStore, insertVersions, sqliteReader, withWriteTransaction, writeMeta, type WriteResult } from '../store/index.js';
import { applyFactChange, emptyClusterFacts, emptyTouched, type ClusterFacts, type FactChange } from '../query/cluster-facts.js';
import { RawDrift, type DriftChanges } from '../query/drift-walk.js';
import { fullScope, type DriftItem } from '../query/drift.js';
import { loadClusterFacts } from '../query/load-cluster-facts.js';
import { DRIFT_RECORD_VERSION, recordedDrift, RECORD_MARK_KEY, type RecordMark } from '../query/recorded-drift.js';

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

/** Keyed by the connection (a SQLite handle, a PostgreSQL store): one head per open history. */
const heads = new WeakMap<object, Head>();

function startHead(db: HistoryReader, connection: object, through: number): Head {
  const cached = heads.get(connection);
  if (cached?.through === through) return cached;
  if (through === 0) {
    const facts = emptyClusterFacts();
    return { through, facts, raw: new RawDrift(facts) };
  }
  const facts = loadClusterFacts(db, through);
  const raw = new RawDrift(facts);
  raw.seed(recordedDrift(db, through));
  return { through, facts, raw };
}

function toWrites(changes: DriftChanges) {
  return [...changes].map(([key, item]) => ({ kind: 'drift' as const, entity: key, value: item && recordValue(item) }));
}

/** Where a snapshot's drift versions go as they are derived (the SQLite transaction, or a list written next); returns how many. */
type Emit = (snapshotId: number, writes: ReturnType<typeof toWrites>) => number;

/** Snapshots replayed per read of their versions (the connection cannot write while it iterates). */
const WINDOW = 200;

type Version = Omit<FactChange, 'value'> & { value: string | null };

/** Each snapshot in (after, upTo] that has versions, with its versions. */
function* snapshotsWithVersions(db: HistoryReader, after: number, upTo: number): Generator<[number, Version[]]> {
  const rows = [...db.versionsInRange(after, upTo, SOURCES)];
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
function replay(db: HistoryReader, h: Head, upTo: number, emit: Emit): number {
  let written = 0;
  for (const [snapshot, rows] of snapshotsWithVersions(db, h.through, upTo)) written += emit(snapshot, toWrites(h.raw.recheck(apply(h, rows))));
  h.through = upTo;
  return written;
}

/** The first snapshot is checked whole: some checks concern entities no fact names (a service with no member). */
function replayFirst(db: HistoryReader, h: Head, first: number, emit: Emit): number {
  for (const [, rows] of snapshotsWithVersions(db, 0, first)) apply(h, rows);
  h.through = first;
  return emit(first, toWrites(h.raw.recheck(fullScope(h.facts))));
}

/** The snapshot just written, applied from its own versions: no read-back. */
function advanceWritten(h: Head, written: WriteResult, emit: Emit): number {
  h.through = written.snapshotId;
  return emit(written.snapshotId, toWrites(h.raw.recheck(apply(h, written.written))));
}

export interface RecordOutcome {
  /** How many versions of drift items were written. */
  versions: number;
  /** The facts and drift items as of the latest snapshot; null when there is none. */
  head: Head | null;
}

/** Where the record stands: the snapshot it reaches with the current checks (0: none or stale) and the history's extent. */
function recordState(db: HistoryReader) {
  const text = db.readMeta(RECORD_MARK_KEY);
  const mark = text === undefined ? null : (JSON.parse(text) as RecordMark);
  const { first, last: head } = db.snapshotIdRange();
  const stale = mark !== null && mark.version !== DRIFT_RECORD_VERSION;
  return { text, stale, through: mark && !stale ? mark.through : 0, first, head };
}

const markText = (through: number) => JSON.stringify({ version: DRIFT_RECORD_VERSION, through } satisfies RecordMark);

/** Whether the snapshot just written directly follows the record and ends the history: the head advances from it. */
const followsRecord = (through: number, head: number, written?: WriteResult) => through > 0 && written?.snapshotId === through + 1 && head === written.snapshotId;

/**
 * Records the drift of every snapshot not yet recorded, and returns the head
 * when `wantHead` (loading it if this connection holds none). `written`, when
 * given, is what this connection just wrote: if it directly follows the
 * record, the head advances from it. One write transaction: a crash leaves
 * the record where it was.
 */
export function advanceRecord(db: Db, opts: { written?: WriteResult; wantHead: boolean }): RecordOutcome {
  const { written } = opts;
  const reads = sqliteReader(db);
  const emit: Emit = (snapshotId, writes) => insertVersions(db, snapshotId, 'drift', writes);
  return withWriteTransaction(db, () => {
    const { stale, through, first, head } = recordState(reads);
    if (stale) clearDerivedSource(db, 'drift');
    if (head === 0 || (through >= head && !opts.wantHead)) return { versions: 0, head: null };
    const h = startHead(reads, db, through);
    heads.delete(db); // mutated below: only a head that reached the end may be reused
    let versions = 0;
    if (followsRecord(through, head, written)) {
      versions = advanceWritten(h, written!, emit);
    } else {
      if (through === 0) versions = replayFirst(reads, h, first, emit);
      while (h.through < head) versions += replay(reads, h, Math.min(head, h.through + WINDOW), emit);
    }
    if (through < head) writeMeta(db, RECORD_MARK_KEY, markText(head));
    heads.set(db, h);
    return { versions, head: h };
  });
}

/** Records the drift of every snapshot not yet recorded; returns how many versions of drift items it wrote. */
export function recordDrift(db: Db): number {
  return advanceRecord(db, { wantHead: false }).versions;
}

/**
 * The same on a store whose writes are async (PostgreSQL): read through the
 * history's reader, written through the store in steps of WINDOW snapshots,
 * each step with the mark it reaches (writeDerivedRecord: only while the mark
 * it started from stands). A step refused because another writer moved the
 * mark ends the advance with no head: that writer recorded those snapshots.
 */
export async function advanceRecordIn(store: HistoryStore, db: HistoryReader, opts: { written?: WriteResult; wantHead: boolean }): Promise<RecordOutcome> {
  const { written } = opts;
  // The mark is read once: what the steps are derived from is what the first write checks.
  const { text, stale, through, first, head } = recordState(db);
  if (head === 0 || (through >= head && !opts.wantHead)) return { versions: 0, head: null };
  const h = startHead(db, store, through);
  heads.delete(store);
  let from = text;
  let clear = stale;
  let step: { snapshotId: number; writes: ReturnType<typeof toWrites> }[] = [];
  const emit: Emit = (snapshotId, writes) => {
    if (writes.length) step.push({ snapshotId, writes });
    return writes.length;
  };
  const flush = async (): Promise<boolean> => {
    const to = markText(h.through);
    const done = await store.writeDerivedRecord({ source: 'drift', mark: { key: RECORD_MARK_KEY, from, to }, clear, snapshots: step });
    [from, clear, step] = [to, false, []];
    return done;
  };
  let versions = 0;
  if (through >= head) {
    // Up to date: nothing to write.
  } else if (followsRecord(through, head, written)) {
    versions = advanceWritten(h, written!, emit);
    if (!(await flush())) return { versions: 0, head: null };
  } else {
    if (through === 0) {
      versions = replayFirst(db, h, first, emit);
      if (!(await flush())) return { versions: 0, head: null };
    }
    while (h.through < head) {
      versions += replay(db, h, Math.min(head, h.through + WINDOW), emit);
      if (!(await flush())) return { versions: 0, head: null };
    }
  }
  heads.set(store, h);
  return { versions, head: h };
}
