// What the daemon's watcher recorded that can concern one host's /missing
// entry (I/O glue): the /missing children records naming it, its own node's
// records, and the records that say what went unwatched (gaps, dropped
// events, ticks without a watcher). A year of /missing records is thousands
// of all hosts' events; the host's answer needs only these (watched-times.ts
// looks at one child's events and at what went unwatched; hidden-changes.ts
// counts per path), so `missing --host` reads these, not every record.
import { type HistoryReader, type Marks } from '../store/index.js';
import { DROPPED_KEY, GAP_PREFIX, UNWATCHED_KEY } from '../snapshot/zk-watch-facts.js';
import { watchTimelineEvents, type WatchRecordRow, type WatchTimelineEvent } from './watched-events.js';

/** The watched events of /missing/<host> in the intervals that snapshots (afterId, toId] close (as loadWatched's, for this host). */
export function loadHostMissingWatched(db: HistoryReader, m: Marks, host: string, afterId: number, toId: number): WatchTimelineEvent[] {
  const row = (r: { entity: string; snapshot: number; value: string | null }, before?: string | null): WatchRecordRow => ({
    entity: r.entity,
    value: r.value,
    ...(before !== undefined ? { before } : {}),
    by: m.mark(r.snapshot),
    after: m.before(r.snapshot),
  });
  const named = db.versionsOfKeysInRange('zk.watch', 'watch', ['/missing'], afterId, toId, host);
  const own = db.versionsOfKeysInRange('zk.watch', 'watch', [`/missing/${host}`], afterId, toId);
  const gaps = db.keysWithPrefix('zk.watch', 'watch', GAP_PREFIX).map((k) => k.entity);
  const unwatched = db.versionsOfKeysInRange('zk.watch', 'watch', [...gaps, DROPPED_KEY], afterId, toId);
  const rows = [...named, ...own, ...unwatched].map((r) => row(r));
  // The held `unwatched` key: its version holding at the window's start, then each later one with the value it replaced.
  let before = db.versionsOfEntities('zk.watch', 'watch', [UNWATCHED_KEY], afterId, afterId).get(UNWATCHED_KEY)?.at(-1) ?? null;
  if (before?.value && afterId > 0) rows.push(row({ entity: UNWATCHED_KEY, ...before }));
  for (const v of db.versionsOfKeysInRange('zk.watch', 'watch', [UNWATCHED_KEY], afterId, toId)) {
    rows.push(row(v, before?.value ?? null));
    before = v;
  }
  return watchTimelineEvents(
    rows.sort((a, b) => a.by.id - b.by.id),
    ['zk.missing'],
  );
}
