// Snapshot lookups that queries make many times (I/O, memoized per call
// site): a snapshot's start time, its neighbours, and a source's last
// successful read before a snapshot. Each is one index seek.
import { NotFoundError } from '../errors.js';
import type { SourceName } from '../snapshot/source-name.js';
import type { Db } from './db.js';
import type { SnapshotMark } from '../model/snapshot-mark.js';
import { codeOf } from './source-codes.js';
import { statement } from './statement-cache.js';

export const MARK_SQL = 'SELECT id, started_at AS startedAt FROM snapshots WHERE cluster = current_cluster() AND id = ?';
export const BEFORE_SQL = 'SELECT id, started_at AS startedAt FROM snapshots WHERE cluster = current_cluster() AND id = (SELECT max(id) FROM snapshots WHERE cluster = current_cluster() AND id < ?)';
export const AFTER_SQL = 'SELECT id, started_at AS startedAt FROM snapshots WHERE cluster = current_cluster() AND id = (SELECT min(id) FROM snapshots WHERE cluster = current_cluster() AND id > ?)';
export const PREVIOUS_OK_SQL = `SELECT max(snapshot_id) AS id FROM snapshot_sources WHERE cluster = current_cluster() AND source = ${codeOf('?')} AND ok = 1 AND snapshot_id < ?`;
export const FIRST_AT_OR_AFTER_SQL =
  'SELECT id, started_at AS startedAt FROM snapshots WHERE cluster = current_cluster() AND started_at >= ? ORDER BY started_at, id LIMIT 1';
export const LAST_AT_OR_BEFORE_SQL =
  'SELECT id, started_at AS startedAt FROM snapshots WHERE cluster = current_cluster() AND started_at <= ? ORDER BY started_at DESC, id DESC LIMIT 1';

export interface Marks {
  mark(id: number): SnapshotMark;
  /** The snapshot just before `id`, if any. */
  before(id: number): SnapshotMark | null;
  after(id: number): SnapshotMark | null;
  /** The last snapshot before `id` in which `source` was read successfully. */
  previousOk(source: SourceName, id: number): SnapshotMark | null;
  /** The last snapshot at or before `id` in which `source` was read successfully. */
  latestOk(source: SourceName, id: number): SnapshotMark | null;
}

function memo<K, V>(fn: (k: K) => V): (k: K) => V {
  const m = new Map<K, V>();
  return (k) => {
    if (m.has(k)) return m.get(k)!;
    const v = fn(k);
    m.set(k, v);
    return v;
  };
}

/** The single lookups behind Marks, on the caller's engine. */
export interface MarkReads {
  mark(id: number): SnapshotMark | undefined;
  before(id: number): SnapshotMark | undefined;
  after(id: number): SnapshotMark | undefined;
  /** PREVIOUS_OK_SQL's answer: the last snapshot before `id` with `source` read, or null. */
  okBefore(source: SourceName, id: number): number | null;
}

/** Marks over any engine's lookups (pure), each memoized. */
export function marksFrom(reads: MarkReads): Marks {
  const mark = memo((id: number): SnapshotMark => {
    const row = reads.mark(id);
    if (!row) throw new NotFoundError(`no snapshot #${id}`);
    return row;
  });
  const before = memo((id: number) => reads.before(id) ?? null);
  const after = memo((id: number) => reads.after(id) ?? null);
  const okBefore = memo((key: string) => {
    const at = key.indexOf('\u0000');
    const id = reads.okBefore(key.slice(0, at) as SourceName, Number(key.slice(at + 1)));
    return id === null ? null : mark(id);
  });
  return {
    mark,
    before,
    after,
    previousOk: (source, id) => okBefore(`${source}\u0000${id}`),
    latestOk: (source, id) => okBefore(`${source}\u0000${id + 1}`),
  };
}

/**
 * Snapshots known by id alone, for deciding from the values which snapshots
 * hold something (an event, an episode's start or end) without the two seeks
 * per version that timing them costs. A time read from it is NaN and no read
 * is known to have failed: what is timed or bounded must be read with marks().
 */
export const ID_ONLY_MARKS: Marks = {
  // Not through marksFrom: a module-wide memo would grow with every id ever asked about.
  mark: (id) => ({ id, startedAt: Number.NaN }),
  before: () => null,
  after: () => null,
  previousOk: () => null,
  latestOk: () => null,
};

export function marks(db: Db): Marks {
  return marksFrom({
    mark: (id) => statement(db, MARK_SQL).get(id) as SnapshotMark | undefined,
    before: (id) => statement(db, BEFORE_SQL).get(id) as SnapshotMark | undefined,
    after: (id) => statement(db, AFTER_SQL).get(id) as SnapshotMark | undefined,
    okBefore: (source, id) => (statement(db, PREVIOUS_OK_SQL).get(source, id) as { id: number | null }).id,
  });
}

/** The snapshots a time window covers: the first started at or after `since`, the last at or before `until`. */
export function windowSnapshots(db: Db, window: { since?: number; until?: number }): { first: SnapshotMark; last: SnapshotMark } {
  const first = statement(db, FIRST_AT_OR_AFTER_SQL).get(window.since ?? 0) as SnapshotMark | undefined;
  const last = statement(db, LAST_AT_OR_BEFORE_SQL).get(window.until ?? Number.MAX_SAFE_INTEGER) as SnapshotMark | undefined;
  return windowOf(first, last);
}

/** The window's two ends as found (pure): none in it is not found. */
export function windowOf(first: SnapshotMark | undefined, last: SnapshotMark | undefined): { first: SnapshotMark; last: SnapshotMark } {
  if (!first || !last || first.id > last.id) throw new NotFoundError('no snapshot in that time window');
  return { first, last };
}
