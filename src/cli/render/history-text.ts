// Terminal rendering of `history HOST` and `timeline` (pure): one aligned
// row per event, its time as the two collections it happened between.
import type { ChangeEvent } from '../../query/change-event.js';
import type { HostHistoryReport } from '../../query/load-host-history.js';
import type { TimelineReport } from '../../query/load-timeline.js';
import { mergeWatched, type TimelineEvent } from '../../query/timeline.js';
import { alignColumns } from '../../present/columns.js';
import { changePhrase, hiddenPhrase } from '../../present/describe-change.js';
import { renderHostEpisodes } from './missing-text.js';
import { formatBetween, formatMark } from '../../present/time-bounds.js';
import { gapPhrase, notWatchedPhrase, watchedPhrase, type WatchedChangeEvent } from '../../query/watched-events.js';
import { pushAll } from '../../util/push-all.js';

/** A watched event's own time to the millisecond, whichever clock it is on (the phrase names the record). */
function formatWatchedTime(e: WatchedChangeEvent): string {
  return new Date(e.time.at).toISOString();
}

function eventRow(e: TimelineEvent): string[] {
  if (e.type === 'change') return [formatBetween(e.at), e.source, e.change.id, changePhrase(e.change)];
  if (e.type === 'source_unknown') return [formatBetween(e.at), e.source, '', `UNKNOWN from here (${e.error?.kind}: ${e.error?.message})`];
  if (e.type === 'hidden_changes') return [formatBetween(e.at), e.source, e.path, hiddenPhrase(e)];
  if (e.type === 'watched') return [formatWatchedTime(e), e.source, e.path, watchedPhrase(e)];
  if (e.type === 'watch_gap') return [formatBetween(e.at), 'zk.watch', '', gapPhrase(e)];
  if (e.type === 'not_watched') return [formatBetween(e.at), 'zk.watch', '', notWatchedPhrase(e)];
  if (e.type === 'watch_dropped') return [formatBetween(e.at), 'zk.watch', '', `${e.count} watched events not kept (past the daemon's bound)`];
  return [formatBetween(e.at), e.source, '', 'read again'];
}

export function renderEvents(events: readonly TimelineEvent[]): string[] {
  return alignColumns(events.map(eventRow), '  ');
}

export function renderHostHistoryText(h: HostHistoryReport & { olderEvents?: number }): string {
  const lines = [`History of ${h.host} ${formatMark(h.window.first)} → ${formatMark(h.window.last)}: ${h.events.length} change${h.events.length === 1 ? '' : 's'}`];
  if (h.olderEvents) lines.push(`(the newest ${h.events.length}; ${h.olderEvents} older not shown: a larger --limit, 0 for all, or --since shows them)`);
  // Watched events are not counted or limited with the changes: they tell how the changes came about.
  if (h.events.length || h.watched?.length) pushAll(lines, ['', ...renderEvents(mergeWatched(h.events satisfies ChangeEvent[], h.watched ?? []))]);
  const episodes = h.missingEpisodes;
  if (episodes.length) {
    pushAll(lines, ['', 'Missing episodes:', ...renderHostEpisodes({ host: h.host, episodes, stillMissing: episodes.some((e) => e.endBy === null) })]);
  }
  return lines.join('\n');
}

export function renderTimelineText(t: TimelineReport & { olderEvents?: number }): string {
  const counts = Object.entries(t.counts)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const lines = [`Timeline ${formatMark(t.window.first)} → ${formatMark(t.window.last)}: ${t.total} event${t.total === 1 ? '' : 's'}${counts ? ` (${counts})` : ''}`];
  if (t.olderEvents) lines.push(`(the newest ${t.events.length}; ${t.olderEvents} older not shown: a larger --limit, 0 for all, or an earlier --until shows them)`);
  if (t.events.length) pushAll(lines, ['', ...renderEvents(t.events)]);
  return lines.join('\n');
}
