// Parts of the daemon's watched record (`zk.watch`, src/snapshot/zk-watch-facts.ts)
// in a snapshot range, through each key's (key_id, from_snapshot) index: the
// keys asked for, optionally only the versions naming one of a few children
// (matched in SQL, so a year of /missing's children events is never handed
// over and parsed for the three names a diff asks about), and the keys that
// qualify what was watched (gaps, the drop count, ticks without a watcher).
import type { Db } from './db.js';
import { statement } from './statement-cache.js';
import { changesFromTotals, countWatchedChanges } from './watch-totals.js';

export interface WatchRecordVersion {
  snapshot: number;
  keyId: number;
  entity: string;
  value: string | null;
  /** The value this version replaced (null: none, or a tombstone). */
  before: string | null;
}

export const WATCH_RECORD_SQL = `
  SELECT v.from_snapshot AS snapshot, v.key_id AS keyId, k.entity AS entity, v.value AS value,
    (SELECT p.value FROM fact_versions p WHERE p.key_id = v.key_id AND p.from_snapshot < v.from_snapshot
      ORDER BY p.from_snapshot DESC LIMIT 1) AS before
  FROM fact_keys k CROSS JOIN fact_versions v ON v.key_id = k.id
  WHERE k.cluster = current_cluster() AND k.source = 'zk.watch' AND k.kind = 'watch'
    AND (k.entity IN (SELECT value FROM json_each(@entities)) OR (@qualifiers AND (k.entity IN ('dropped', 'unwatched') OR (k.entity >= 'gap:' AND k.entity < 'gap;'))))
    AND v.from_snapshot > @afterId AND v.from_snapshot <= @toId
    AND (@mentioning IS NULL OR (v.value IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(@mentioning) j WHERE instr(v.value, j.value) > 0)))
  ORDER BY v.from_snapshot, v.key_id`;

export interface WatchRecordPart {
  /** zk.watch entities (watched paths) to read. */
  entities: readonly string[];
  /** Only the versions whose value contains one of these texts (null: all). */
  mentioning?: readonly string[] | null;
  /** Also the gap, drop-count and unwatched keys. */
  qualifiers?: boolean;
}

/** The versions of one part of the watched record in snapshots (afterId, toId], in snapshot then key order. */
export function watchRecordVersions(db: Db, afterId: number, toId: number, part: WatchRecordPart): WatchRecordVersion[] {
  return statement(db, WATCH_RECORD_SQL).all({
    entities: JSON.stringify(part.entities),
    qualifiers: part.qualifiers ? 1 : 0,
    afterId,
    toId,
    mentioning: part.mentioning ? JSON.stringify(part.mentioning) : null,
  }) as WatchRecordVersion[];
}

// How many changes the record holds for one path in a range, counted as
// watchedChangeCounts counts them (src/query/hidden-changes.ts) over the events
// watchTimelineEvents keeps (a Stat, not a deletion): a children event's
// children created and deleted, 1 for a write. The statement hands over the
// versions' values and countWatchedChanges counts them: json_each and a ->> per
// event cost SQLite twice what JSON.parse does (a year of /missing: 24,907
// changes in 24,442 versions, 266 -> 134 ms). PostgreSQL counts in SQL.
export const WATCHED_CHANGES_OF_PATH_SQL = `
  SELECT v.value
  FROM fact_keys k CROSS JOIN fact_versions v ON v.key_id = k.id
  WHERE k.cluster = current_cluster() AND k.source = 'zk.watch' AND k.kind = 'watch' AND k.entity = @path
    AND v.from_snapshot > @afterId AND v.from_snapshot <= @toId AND v.value IS NOT NULL`;

// ... and the deletions of a parent's children its children events name, per child asked for (one pass over the parent's versions).
const removalsOfChildren = (versionFilter: string) => `
  SELECT json_each.value AS name, count(*) AS n
  FROM fact_keys k CROSS JOIN fact_versions v ON v.key_id = k.id CROSS JOIN json_each(v.value, '$.events') c
    CROSS JOIN json_each(c.value, '$.removed')
  WHERE k.cluster = current_cluster() AND k.source = 'zk.watch' AND k.kind = 'watch' AND k.entity = @parent
    AND v.from_snapshot > @afterId AND v.from_snapshot <= @toId AND v.value IS NOT NULL${versionFilter}
    AND c.value ->> '$.kind' = 'children' AND c.value ->> '$.stat' IS NOT NULL
    AND json_each.value IN (SELECT value FROM json_each(@names))
  GROUP BY json_each.value`;
export const WATCHED_REMOVALS_OF_CHILDREN_SQL = removalsOfChildren('');

// The same for a few names: a version naming none of them (@mentioning: the names as stored, quoted)
// is passed over before its events are parsed. A year of /missing asked about one child, with
// SQLite's cache emptied before each call: 117-159 -> 49-72 ms. A scalar subquery, not EXISTS:
// SQLite runs an EXISTS term as a join after the events' loops, so every version was parsed anyway.
export const WATCHED_REMOVALS_OF_NAMED_CHILDREN_SQL = removalsOfChildren(`
    AND (SELECT 1 FROM json_each(@mentioning) j WHERE instr(v.value, j.value) > 0 LIMIT 1) IS NOT NULL`);

/**
 * Changes the record holds for watched path `path` in snapshots (afterId, toId]:
 * from the running totals (watch-totals.ts), or, when the range begins on a
 * version without one (prune carried it forward), by counting every version's events.
 */
export function watchedChangesOfPath(db: Db, afterId: number, toId: number, path: string): number {
  const fromTotals = changesFromTotals(db, afterId, toId, path);
  if (fromTotals !== null) return fromTotals;
  let n = 0;
  for (const value of statement(db, WATCHED_CHANGES_OF_PATH_SQL).pluck().iterate({ path, afterId, toId }) as Iterable<string>) n += countWatchedChanges(value);
  return n;
}

/**
 * Matching names costs a search of every version of the range per name (SQL's
 * instr, ~0.2 µs each), reading and parsing every version ~12 µs per version:
 * past about 60 names reading every version is cheaper, whatever the range. A
 * year's diff asks about the 276 hosts removed from /hosts, 1,072 versions:
 * 64 ms matched, 19 ms whole (with the range's gaps and drop counts, loadWatchedOf).
 */
const NAMES_SEARCHED_ALONE = 48;

/**
 * The texts to search a parent's versions for, to find those naming one of
 * `names` (`mentioning`), or null past the names worth searching one by one:
 * then read every version. Names are stored as JSON strings (canonical-json.ts),
 * so the quoted text matches only the whole name.
 */
export function namesToSearch(names: readonly string[]): string[] | null {
  return names.length > NAMES_SEARCHED_ALONE ? null : names.map((n) => JSON.stringify(n));
}

/** Deletions of each of `names` in `parent`'s children events in snapshots (afterId, toId] (absent: none). */
export function watchedRemovalsOfChildren(db: Db, afterId: number, toId: number, parent: string, names: readonly string[]): Map<string, number> {
  const args = { parent, names: JSON.stringify(names), afterId, toId };
  const mentioning = namesToSearch(names);
  const rows = (
    mentioning === null
      ? statement(db, WATCHED_REMOVALS_OF_CHILDREN_SQL).all(args)
      : statement(db, WATCHED_REMOVALS_OF_NAMED_CHILDREN_SQL).all({ ...args, mentioning: JSON.stringify(mentioning) })
  ) as { name: string; n: number }[];
  return new Map(rows.map((r) => [r.name, r.n]));
}
