// Snapshot lookups that queries make many times (I/O, memoized per call
// site): a snapshot's start time, its neighbours, and a source's last
// successful read before a snapshot. Each is one index seek.
import { NotFoundError } from '../errors.js';
import type { SourceName } from '../snapshot/source-name.js';
import type { Db } from './db.js';
import type { SnapshotMark } from '../model/snapshot-mark.js';
import { statement } from './statement-cache.js';

export const MARK_SQL = 'SELECT id, started_at AS startedAt FROM snapshots WHERE cluster = current_cluster() AND id = ?';
export const BEFORE_SQL = 'SELECT id, started_at AS startedAt FROM snapshots WHERE cluster = current_cluster() AND id = (SELECT max(id) FROM snapshots WHERE cluster = current_cluster() AND id < ?)';
export const AFTER_SQL = 'SELECT id, started_at AS startedAt FROM snapshots WHERE cluster = current_cluster() AND id = (SELECT min(id) FROM snapshots WHERE cluster = current_cluster() AND id > ?)';
export const PREVIOUS_OK_SQL = 'SELECT max(snapshot_id) AS id FROM snapshot_sources WHERE cluster = current_cluster() AND source = ? AND ok = 1 AND snapshot_id < ?';
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

export function marks(db: Db): Marks {
  const mark = memo((id: number): SnapshotMark => {
    const row = statement(db, MARK_SQL).get(id) as SnapshotMark | undefined;
    if (!row) throw new NotFoundError(`no snapshot #${id}`);
    return row;
  });
  const before = memo((id: number) => (statement(db, BEFORE_SQL).get(id) as SnapshotMark | undefined) ?? null);
  const after = memo((id: number) => (statement(db, AFTER_SQL).get(id) as SnapshotMark | undefined) ?? null);
  const okBefore = memo((key: string) => {
    const at = key.indexOf('\u0000');
    const row = statement(db, PREVIOUS_OK_SQL).get(key.slice(0, at), Number(key.slice(at + 1))) as { id: number | null };
    return row.id === null ? null : mark(row.id);
  });
  return {
    mark,
    before,
    after,
    previousOk: (source, id) => okBefore(`${source}\u0000${id}`),
    latestOk: (source, id) => okBefore(`${source}\u0000${id + 1}`),
  };
}

/** The snapshots a time window covers: the first started at or after `since`, the last at or before `until`. */
export function windowSnapshots(db: Db, window: { since?: number; until?: number }): { first: SnapshotMark; last: SnapshotMark } {
  const first = statement(db, FIRST_AT_OR_AFTER_SQL).get(window.since ?? 0) as SnapshotMark | undefined;
  const last = statement(db, LAST_AT_OR_BEFORE_SQL).get(window.until ?? Number.MAX_SAFE_INTEGER) as SnapshotMark | undefined;
  if (!first || !last || first.id > last.id) throw new NotFoundError('no snapshot in that time window');
  return { first, last };
}
