// Drift recorded as it happens (I/O). After snapshots are written, the drift
// items of the facts as they then stood are stored as the derived source
// `drift`, versioned like any facts: reading drift at a snapshot, or drift
// episodes over a year, then reads a handful of rows instead of rebuilding and
// re-checking every host. Items are recorded raw (before "cannot compare"):
// which sources were read is in each snapshot's outcomes, applied on reading.
//
// The record is brought up to date by replaying the versions written since it
// was last updated, re-checking only the entities they touch; how far it
// reaches, and with which version of the checks, is kept in `meta`. A
// snapshot beyond it (the writer died before recording, or an older treesnap
// wrote it) is checked live by readers and recorded by the next writer.
import { SOURCES } from '../snapshot/source-name.js';
import type { Db } from '../store/open-database.js';
import { insertVersions } from '../store/insert-snapshot-rows.js';
import { readSourceState } from '../store/read-source-state.js';
import { statement } from '../store/statement-cache.js';
import { withWriteTransaction } from '../store/write-transaction.js';
import { applyFactChange, emptyClusterFacts, emptyTouched, type ClusterFacts } from './cluster-facts.js';
import { RawDrift, type DriftChanges } from './drift-walk.js';
import { driftSources, fullScope, type DriftItem, type DriftKind } from './drift.js';
import { loadClusterFacts } from './load-cluster-facts.js';
import { versionsInRange, type VersionRow } from './version-reads.js';

/** Bump when the drift checks change what they find: every record is then rebuilt. */
export const DRIFT_RECORD_VERSION = 1;

const MARK_KEY = 'drift.recorded';

interface RecordMark {
  version: number;
  /** Every snapshot up to this one has its drift recorded. */
  through: number;
}

const RECORD_MARK_SQL = 'SELECT value FROM meta WHERE key = ?';

function readMark(db: Db): RecordMark | null {
  const text = statement(db, RECORD_MARK_SQL).pluck().get(MARK_KEY) as string | undefined;
  return text === undefined ? null : (JSON.parse(text) as RecordMark);
}

/** The last snapshot whose drift is recorded by the current checks (0: none). */
export function recordedThrough(db: Db): number {
  const mark = readMark(db);
  return mark?.version === DRIFT_RECORD_VERSION ? mark.through : 0;
}

// An item is stored under its driftKey ("<kind>:<ids>") with only what the key
// and its kind do not already say, {ids, sides}: drift changes as often as
// probes flap, so its record is kept small. The text keeps the checks' own key
// order (whether an item changed is decided on canonical JSON, in RawDrift),
// so an answer read from the record is the very text a live check gives.
function recordValue(item: DriftItem): string {
  return JSON.stringify({ ids: item.ids, sides: item.sides });
}

/** A recorded item, in the shape the checks produce it. */
export function parseRecorded(key: string, value: string): DriftItem {
  const kind = key.slice(0, key.indexOf(':')) as DriftKind;
  const { ids, sides } = JSON.parse(value) as Pick<DriftItem, 'ids' | 'sides'>;
  return { kind, ids, sources: driftSources(kind, sides), sides };
}

/** The recorded items at a snapshot, which must be at most recordedThrough(db). */
export function recordedDrift(db: Db, snapshotId: number): DriftItem[] {
  return readSourceState(db, 'drift', snapshotId).map((f) => parseRecorded(f.entity, f.value));
}

/** What a recorder holds between calls on one connection, valid while the record ends where it did. */
interface Replay {
  through: number;
  facts: ClusterFacts;
  raw: RawDrift;
}

const replays = new WeakMap<Db['$client'], Replay>();

function startReplay(db: Db, through: number): Replay {
  const cached = replays.get(db.$client);
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

/** Snapshots replayed per read of their versions (the connection cannot write while it iterates). */
const WINDOW = 200;

/** Each snapshot in (after, upTo] that has versions, with its versions. */
function* snapshotsWithVersions(db: Db, after: number, upTo: number): Generator<[number, VersionRow[]]> {
  const rows = [...versionsInRange(db, after, upTo, SOURCES)];
  let start = 0;
  for (let i = 1; i <= rows.length; i++) {
    if (i < rows.length && rows[i]!.snapshot === rows[start]!.snapshot) continue;
    yield [rows[start]!.snapshot, rows.slice(start, i)];
    start = i;
  }
}

function apply(r: Replay, rows: readonly VersionRow[]) {
  const touched = emptyTouched();
  for (const v of rows) applyFactChange(r.facts, { ...v, value: v.value === null ? null : JSON.parse(v.value) }, touched);
  return touched;
}

/** Replays snapshots (r.through, upTo]: each one's versions, then the entities they touched re-checked. */
function replay(db: Db, r: Replay, upTo: number): number {
  let written = 0;
  for (const [snapshot, rows] of snapshotsWithVersions(db, r.through, upTo)) {
    written += insertVersions(db, snapshot, 'drift', toWrites(r.raw.recheck(apply(r, rows))));
  }
  r.through = upTo;
  return written;
}

/** The first snapshot is checked whole: some checks concern entities no fact names (a service with no member). */
function replayFirst(db: Db, r: Replay, first: number): number {
  for (const [, rows] of snapshotsWithVersions(db, 0, first)) apply(r, rows);
  r.through = first;
  return insertVersions(db, first, 'drift', toWrites(r.raw.recheck(fullScope(r.facts))));
}

function clearRecord(db: Db): void {
  for (const table of ['fact_versions', 'state_checkpoints', 'fact_keys']) {
    db.$client.prepare(`DELETE FROM ${table} WHERE source = 'drift'`).run();
  }
}

/**
 * Records the drift of every snapshot not yet recorded; returns how many
 * versions of drift items it wrote. One write transaction: a crash leaves the
 * record where it was.
 */
export function recordDrift(db: Db): number {
  return withWriteTransaction(db, () => {
    const mark = readMark(db);
    const head = (db.$client.prepare('SELECT max(id) FROM snapshots').pluck().get() as number | null) ?? 0;
    if (mark && mark.version !== DRIFT_RECORD_VERSION) clearRecord(db);
    const through = mark?.version === DRIFT_RECORD_VERSION ? mark.through : 0;
    if (through >= head) return 0;
    const r = startReplay(db, through);
    replays.delete(db.$client); // mutated below: only a replay that reached the end may be reused
    let written = through === 0 ? replayFirst(db, r, db.$client.prepare('SELECT min(id) FROM snapshots').pluck().get() as number) : 0;
    while (r.through < head) written += replay(db, r, Math.min(head, r.through + WINDOW));
    db.$client
      .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(MARK_KEY, JSON.stringify({ version: DRIFT_RECORD_VERSION, through: head } satisfies RecordMark));
    replays.set(db.$client, r);
    return written;
  });
}
