// The running count of each watched path's changes (table watch_totals,
// schema.ts): written with every non-empty `zk.watch` version of a path, read
// to count a range's changes from its first and last versions alone.
//
// A version's total is its own changes plus the total of the key's previous
// non-empty version. Migration 0010 filled them for the versions stored before
// it, and `import` keeps them as it copies; only a version `prune` carries
// forward to its oldest kept snapshot loses its total, and the version after
// it then starts the count again. So the versions without a total are always
// the oldest of their key, and a range whose first version has one has it for
// every version after: its changes are last.total - first.total + first's own.
// Prune drops a version's total with the version; the differences stay true.
import type { Db } from './db.js';
import { statement } from './statement-cache.js';

/** One watched path's version as stored: its events in arrival order. */
interface StoredWatchEvent {
  kind?: unknown;
  stat?: unknown;
  added?: unknown;
  removed?: unknown;
}

const lengthOf = (list: unknown) => (Array.isArray(list) ? list.length : 0);

/** The stored events of a version, or null for a value that is not JSON (damage another program wrote: it counts none). */
function eventsOf(value: string): unknown {
  try {
    return (JSON.parse(value) as { events?: unknown } | null)?.events;
  } catch {
    return null;
  }
}

/**
 * The changes one version's events hold, as the SQL before counted them (an
 * event without a Stat, or a deletion, counts none), and as migration 0010 counted them.
 */
export function countWatchedChanges(value: string): number {
  let n = 0;
  const events = eventsOf(value);
  if (!Array.isArray(events)) return 0;
  for (const e of events as (StoredWatchEvent | null)[]) {
    if (e === null || typeof e !== 'object' || e.stat === undefined || e.stat === null || e.kind === 'deleted') continue;
    n += e.kind === 'children' ? lengthOf(e.added) + lengthOf(e.removed) : 1;
  }
  return n;
}

/** Only the watched record's paths are counted (not its gap, drop-count or unwatched keys). */
export const countsTotal = (source: string, entity: string): boolean => source === 'zk.watch' && entity.startsWith('/');

/** A version's total: the previous version's (none: the count begins here) plus its own changes. */
export const totalAfter = (previous: number | null, value: string): number => (previous ?? 0) + countWatchedChanges(value);

/** A version with its total, where it has one. */
const WITH_TOTAL = 'LEFT JOIN watch_totals t ON t.key_id = v.key_id AND t.from_snapshot = v.from_snapshot';

const PREVIOUS_TOTAL_SQL = `
  SELECT t.total AS total
  FROM fact_versions v ${WITH_TOTAL}
  WHERE v.key_id = ? AND v.from_snapshot < ? AND v.value IS NOT NULL
  ORDER BY v.from_snapshot DESC LIMIT 1`;

const INSERT_TOTAL_SQL = 'INSERT INTO watch_totals (key_id, from_snapshot, total) VALUES (?, ?, ?)';

/** Records the total of a watched path's version just written (`value` as stored, not null). */
export function writeWatchTotal(db: Db, keyId: number, snapshotId: number, value: string): void {
  const previous = statement(db, PREVIOUS_TOTAL_SQL).get(keyId, snapshotId) as { total: number | null } | undefined;
  statement(db, INSERT_TOTAL_SQL).run(keyId, snapshotId, totalAfter(previous?.total ?? null, value));
}

const ENDS_SQL = `
  SELECT v.value AS value, t.total AS total
  FROM fact_keys k CROSS JOIN fact_versions v ON v.key_id = k.id ${WITH_TOTAL}
  WHERE k.cluster = current_cluster() AND k.source = 'zk.watch' AND k.kind = 'watch' AND k.entity = @path
    AND v.from_snapshot > @afterId AND v.from_snapshot <= @toId AND v.value IS NOT NULL
  ORDER BY v.from_snapshot`;
const FIRST_SQL = `${ENDS_SQL} LIMIT 1`;
const LAST_SQL = `${ENDS_SQL} DESC LIMIT 1`;

/**
 * The changes `path`'s versions in snapshots (afterId, toId] hold, from the
 * totals of the first and the last; null when the first has none (count its values).
 */
export function changesFromTotals(db: Db, afterId: number, toId: number, path: string): number | null {
  const args = { path, afterId, toId };
  const first = statement(db, FIRST_SQL).get(args) as { value: string; total: number | null } | undefined;
  if (!first) return 0;
  if (first.total === null) return null;
  const last = statement(db, LAST_SQL).get(args) as { total: number | null };
  return last.total === null ? null : last.total - first.total + countWatchedChanges(first.value);
}

/** Prune's part: the totals of the cluster's versions before snapshot `k`, which it deletes (or moves to `k`). */
export function deleteTotalsBefore(db: Db, k: number): void {
  db.$client
    .prepare(
      `DELETE FROM watch_totals WHERE from_snapshot < ?
         AND key_id IN (SELECT id FROM fact_keys WHERE cluster = current_cluster() AND source = 'zk.watch')`,
    )
    .run(k);
}

/** A watched path's non-empty version with its total as stored (null: none), for `verify`. */
export interface WatchTotalRow {
  keyId: number;
  snapshot: number;
  value: string;
  total: number | null;
}

const TOTAL_ROWS_SQL = `
  SELECT v.key_id AS keyId, v.from_snapshot AS snapshot, v.value AS value, t.total AS total
  FROM fact_keys k CROSS JOIN fact_versions v ON v.key_id = k.id ${WITH_TOTAL}
  -- the entities that start with '/' (countsTotal), as a range of the key's index
  WHERE k.cluster = current_cluster() AND k.source = 'zk.watch' AND k.kind = 'watch' AND k.entity >= '/' AND k.entity < '0'
    AND v.value IS NOT NULL
  ORDER BY v.key_id, v.from_snapshot`;

/** Every watched path's non-empty versions with their totals, path by path, oldest first. */
export function watchTotalRows(db: Db): IterableIterator<WatchTotalRow> {
  return statement(db, TOTAL_ROWS_SQL).iterate() as IterableIterator<WatchTotalRow>;
}
