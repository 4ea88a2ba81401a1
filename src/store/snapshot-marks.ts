// Snapshot lookups that queries make many times (I/O, memoized per call
// site): a snapshot's start time, its neighbours, and a source's last
// successful read before a snapshot. Each is one index seek; a caller about to
// ask for hundreds (a year of one host's versions) preloads them, one
// statement for all (a lookup on its own costs ~14 us here, in a batch ~4).
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
// The same three for many ids at once (a JSON array), each one index seek per id.
export const MARKS_OF_SQL = 'SELECT id, started_at AS startedAt FROM snapshots WHERE cluster = current_cluster() AND id IN (SELECT value FROM json_each(?))';
export const BEFORE_OF_SQL = `
  SELECT j.value AS of, s.id AS id, s.started_at AS startedAt FROM json_each(?) j
  CROSS JOIN snapshots s ON s.cluster = current_cluster() AND s.id = (SELECT max(id) FROM snapshots WHERE cluster = current_cluster() AND id < j.value)`;
export const PREVIOUS_OK_OF_SQL = `
  SELECT j.value AS of, (SELECT max(snapshot_id) FROM snapshot_sources
    WHERE cluster = current_cluster() AND source = ${codeOf('?')} AND ok = 1 AND snapshot_id < j.value) AS id
  FROM json_each(?) j`;
export const MARKS_BETWEEN_SQL = 'SELECT id, started_at AS startedAt FROM snapshots WHERE cluster = current_cluster() AND id >= ? AND id <= ? ORDER BY id';
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
  /**
   * Reads at once what `mark` (and with `before`, `before`; with `previousOk`,
   * `previousOk` of those sources) will be asked for these ids: the same
   * answers, memoized, in a statement each instead of one per id.
   */
  preload(ids: Iterable<number>, also?: { before?: boolean; previousOk?: readonly SourceName[] }): void;
  /**
   * Reads every snapshot from `fromId` to `toId` in one range: the marks, and
   * each one's neighbours within it (a walk over a window asks for them in turn).
   */
  preloadBetween(fromId: number, toId: number): void;
}

interface Memo<K, V> {
  (k: K): V;
  has(k: K): boolean;
  set(k: K, v: V): void;
}

function memo<K, V>(fn: (k: K) => V): Memo<K, V> {
  const m = new Map<K, V>();
  const get = (k: K): V => {
    if (m.has(k)) return m.get(k)!;
    const v = fn(k);
    m.set(k, v);
    return v;
  };
  return Object.assign(get, { has: (k: K) => m.has(k), set: (k: K, v: V) => void m.set(k, v) });
}

/** The ids a memo has not been asked for yet, each once. */
function unseen(ids: Iterable<number>, seen: (id: number) => boolean): number[] {
  return [...new Set(ids)].filter((id) => !seen(id));
}

/** The single lookups behind Marks, on the caller's engine. */
export interface MarkReads {
  mark(id: number): SnapshotMark | undefined;
  before(id: number): SnapshotMark | undefined;
  after(id: number): SnapshotMark | undefined;
  /** PREVIOUS_OK_SQL's answer: the last snapshot before `id` with `source` read, or null. */
  okBefore(source: SourceName, id: number): number | null;
  /** MARKS_OF_SQL: the marks of those of `ids` that exist. */
  marksOf(ids: readonly number[]): SnapshotMark[];
  /** BEFORE_OF_SQL: for each of `ids` with a snapshot before it, that snapshot (`of`: the id asked about). */
  beforeOf(ids: readonly number[]): (SnapshotMark & { of: number })[];
  /** PREVIOUS_OK_OF_SQL: okBefore's answer for each of `ids`. */
  okBeforeOf(source: SourceName, ids: readonly number[]): { of: number; id: number | null }[];
  /** MARKS_BETWEEN_SQL: every snapshot from `fromId` to `toId`, in id order. */
  marksBetween(fromId: number, toId: number): SnapshotMark[];
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
  const okKey = (source: SourceName, id: number) => `${source}\u0000${id}`;
  const okBefore = memo((key: string) => {
    const at = key.indexOf('\u0000');
    const id = reads.okBefore(key.slice(0, at) as SourceName, Number(key.slice(at + 1)));
    return id === null ? null : mark(id);
  });
  const preloadMarks = (ids: Iterable<number>) => {
    const wanted = unseen(ids, mark.has);
    if (wanted.length) for (const row of reads.marksOf(wanted)) mark.set(row.id, { id: row.id, startedAt: row.startedAt });
  };
  const preload = (ids: Iterable<number>, also: { before?: boolean; previousOk?: readonly SourceName[] } = {}) => {
    const list = [...ids];
    preloadMarks(list);
    if (also.before) {
      const wanted = unseen(list, before.has);
      const rows = wanted.length ? reads.beforeOf(wanted) : [];
      for (const id of wanted) before.set(id, null);
      for (const row of rows) before.set(row.of, { id: row.id, startedAt: row.startedAt });
    }
    for (const source of also.previousOk ?? []) {
      const wanted = unseen(list, (id) => okBefore.has(okKey(source, id)));
      const rows = wanted.length ? reads.okBeforeOf(source, wanted) : [];
      preloadMarks(rows.flatMap((r) => (r.id === null ? [] : [r.id])));
      for (const row of rows) {
        okBefore.set(okKey(source, row.of), row.id === null ? null : mark(row.id));
      }
    }
  };
  // Consecutive rows of one range are each other's neighbours: no snapshot of the cluster lies between them.
  const preloadBetween = (fromId: number, toId: number) => {
    const rows = reads.marksBetween(fromId, toId).map((r): SnapshotMark => ({ id: r.id, startedAt: r.startedAt }));
    rows.forEach((row, i) => {
      mark.set(row.id, row);
      if (i > 0) before.set(row.id, rows[i - 1]!);
      if (i < rows.length - 1) after.set(row.id, rows[i + 1]!);
    });
  };
  return {
    mark,
    before,
    after,
    previousOk: (source, id) => okBefore(okKey(source, id)),
    latestOk: (source, id) => okBefore(okKey(source, id + 1)),
    preload,
    preloadBetween,
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
  preload: () => undefined,
  preloadBetween: () => undefined,
};

export function marks(db: Db): Marks {
  return marksFrom({
    mark: (id) => statement(db, MARK_SQL).get(id) as SnapshotMark | undefined,
    before: (id) => statement(db, BEFORE_SQL).get(id) as SnapshotMark | undefined,
    after: (id) => statement(db, AFTER_SQL).get(id) as SnapshotMark | undefined,
    okBefore: (source, id) => (statement(db, PREVIOUS_OK_SQL).get(source, id) as { id: number | null }).id,
    marksOf: (ids) => statement(db, MARKS_OF_SQL).all(JSON.stringify(ids)) as SnapshotMark[],
    beforeOf: (ids) => statement(db, BEFORE_OF_SQL).all(JSON.stringify(ids)) as (SnapshotMark & { of: number })[],
    okBeforeOf: (source, ids) => statement(db, PREVIOUS_OK_OF_SQL).all(source, JSON.stringify(ids)) as { of: number; id: number | null }[],
    marksBetween: (fromId, toId) => statement(db, MARKS_BETWEEN_SQL).all(fromId, toId) as SnapshotMark[],
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
