// Part of what the daemon's watcher recorded for a range (I/O glue): the
// events of a few watched paths, or of a parent's children events naming a
// few children, with every gap, drop count and watcher-less tick of the range.
// For the paths and children asked about it gives what loadWatched gives
// (load-timeline.ts), in the same order, while reading only their versions:
// a diff across a year times its removals without parsing a year of events.
import type { SourceName } from '../snapshot/source-name.js';
import { UNWATCHED_KEY } from '../snapshot/zk-watch-facts.js';
import { statSourceOf } from '../snapshot/zk-stat-facts.js';
import { namesToSearch, type HistoryReader, type Marks, type WatchRecordPart } from '../store/index.js';
import { watchTimelineEvents, type WatchRecordRow, type WatchTimelineEvent } from './watched-events.js';

/** A parent path's children events that name one of `names` (or all of them, when that is cheaper: namesToSearch). */
export function childrenNamed(parent: string, names: readonly string[]): WatchRecordPart {
  return { entities: [parent], mentioning: namesToSearch(names) };
}

/** The part of the record that says what the watcher may have missed: every gap, drop count and tick without a watcher. */
export const QUALIFIERS: WatchRecordPart = { entities: [], qualifiers: true };

/**
 * The ticks without a watcher that began before snapshot `afterId` and still
 * ran at it: the `unwatched` version holding there (it qualifies the range's
 * first intervals), or null. The timeline's and diff's readers start with it;
 * `missing --host`'s needs none (load-host-watched.ts says why).
 */
export function unwatchedAtStart(db: HistoryReader, afterId: number): { entity: string; snapshot: number; value: string } | null {
  const holding = db.versionsOfEntities('zk.watch', 'watch', [UNWATCHED_KEY], afterId, afterId).get(UNWATCHED_KEY)?.at(-1);
  return holding?.value && afterId > 0 ? { entity: UNWATCHED_KEY, snapshot: holding.snapshot, value: holding.value } : null;
}

/** A stored version of the record as watchTimelineEvents takes it: in the interval its snapshot closes, with the value it replaced where read. */
export function markedRow(m: Marks, r: { entity: string; snapshot: number; value: string | null; before?: string | null }): WatchRecordRow {
  const row: WatchRecordRow = { entity: r.entity, value: r.value, by: m.mark(r.snapshot), after: m.before(r.snapshot) };
  if (r.before !== undefined) row.before = r.before;
  return row;
}

/** loadWatched's events for the intervals (afterId, toId], of `parts` of the record only (and its qualifiers). */
export function loadWatchedOf(db: HistoryReader, m: Marks, afterId: number, toId: number, sources: readonly SourceName[], parts: readonly WatchRecordPart[]): WatchTimelineEvent[] {
  const rows: WatchRecordRow[] = [];
  const start = unwatchedAtStart(db, afterId);
  if (start) rows.push(markedRow(m, start));
  const versions = [QUALIFIERS, ...parts].flatMap((part) => db.watchRecordVersions(afterId, toId, part));
  // loadWatched's row order (snapshot, then key), each version once.
  versions.sort((a, b) => a.snapshot - b.snapshot || a.keyId - b.keyId);
  let previous: (typeof versions)[number] | undefined;
  for (const r of versions) {
    if (previous && previous.snapshot === r.snapshot && previous.keyId === r.keyId) continue;
    previous = r;
    rows.push(markedRow(m, r));
  }
  return watchTimelineEvents(rows, sources);
}

/**
 * How many changes the watcher saw of each node of `paths` in the intervals (afterId, toId]
 * (watchedChangeCounts over loadWatched's events of `sources`, summed over the
 * intervals): its own events, and its deletions in its parent's children events
 * (one read of each parent for all its children asked for).
 */
export function watchedChangesOf(db: HistoryReader, afterId: number, toId: number, paths: readonly string[], sources: readonly SourceName[]): Map<string, number> {
  const watched = (p: string) => {
    const source = statSourceOf(p);
    return source !== null && sources.includes(source);
  };
  const out = new Map(paths.map((p) => [p, watched(p) ? db.watchedChangesOfPath(afterId, toId, p) : 0]));
  const children = new Map<string, string[]>();
  for (const p of paths) {
    const at = p.lastIndexOf('/');
    if (at > 0 && watched(p.slice(0, at))) (children.get(p.slice(0, at)) ?? children.set(p.slice(0, at), []).get(p.slice(0, at))!).push(p.slice(at + 1));
  }
  for (const [parent, names] of children) {
    for (const [name, n] of db.watchedRemovalsOfChildren(afterId, toId, parent, names)) out.set(`${parent}/${name}`, out.get(`${parent}/${name}`)! + n);
  }
  return out;
}
