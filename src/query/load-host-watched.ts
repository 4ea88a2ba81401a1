// What the daemon's watcher recorded that can concern one host's /missing
// entry (I/O glue): the /missing children records naming it, its own node's
// records, and the records that say what went unwatched (gaps, dropped
// events, ticks without a watcher). A year of /missing records is thousands
// of all hosts' events; the host's answer needs only these (watched-times.ts
// looks at one child's events and at what went unwatched; hidden-changes.ts
// counts per path), so `missing --host` reads these, not every record, and
// only in the intervals its episodes span (episodeSpans): a flapping host's
// year is ~260 short episodes, not the 100,000 intervals between them.
import { type HistoryReader, type Marks } from '../store/index.js';
import { watchTimelineEvents, type WatchTimelineEvent } from './watched-events.js';
import type { SnapshotSpan } from './missing-episodes.js';
import { markedRow, QUALIFIERS } from './load-watched-of.js';
import { pushAll } from '../util/push-all.js';

type StoredRow = { entity: string; snapshot: number; value: string | null; before?: string | null };

/** Whether snapshot `id` closes an interval inside one of `spans` (merged, oldest first). */
function inSpans(spans: readonly SnapshotSpan[], id: number): boolean {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]!.to < id) lo = mid + 1;
    else hi = mid;
  }
  return lo < spans.length && spans[lo]!.after < id;
}

/**
 * The watched events of /missing/<host> in the intervals that snapshots
 * (afterId, toId] close, as loadWatched's for this host, but only those
 * inside `spans` (read as ranges of the keys' index, so a year costs its episodes).
 * `afterId` is at or before every span's start: the read before the first
 * presence of each episode read (missingEpisodesByHost's `from`).
 */
export function loadHostMissingWatched(db: HistoryReader, m: Marks, host: string, afterId: number, toId: number, spans: readonly SnapshotSpan[]): WatchTimelineEvent[] {
  if (!spans.length) return [];
  const within = spans.map((s) => [Math.max(s.after, afterId), Math.min(s.to, toId)] as const).filter(([after, to]) => after < to);
  const rows: StoredRow[] = [
    ...db.versionsOfKeysInSpans('zk.watch', 'watch', ['/missing'], within, host),
    ...db.versionsOfKeysInSpans('zk.watch', 'watch', [`/missing/${host}`], within),
  ];
  // What went unwatched, as every reader of the record takes it (load-watched-of.ts), in the spans. Not the
  // `unwatched` version holding at afterId (unwatchedAtStart, which timeline and diff read): recorded at or
  // before afterId, it lies in no span, each of which starts at afterId or later.
  const qualifiers: StoredRow[] = db.watchRecordVersions(afterId, toId, QUALIFIERS);
  pushAll(rows, qualifiers.filter((r) => inSpans(spans, r.snapshot)));
  m.preload(rows.map((r) => r.snapshot), { before: true });
  const marked = rows.map((r) => markedRow(m, r));
  return watchTimelineEvents(
    marked.sort((a, b) => a.by.id - b.by.id),
    ['zk.missing'],
  );
}
