// What the daemon's watcher saw, as timeline events (pure). A watched event
// belongs to the interval the snapshot it was recorded with closes, and
// carries its own time: a data event's Stat says when ZooKeeper wrote the
// node (ctime for a node never written since its creation, else mtime); a
// children event's Stat says nothing of when (a parent's mtime is its own
// data), so its time is when the event arrived, on treesnap's clock, and is
// named so. Within an interval events are ordered by zxid (mzxid of a write,
// pzxid of a child created or deleted), which ZooKeeper makes exact across
// nodes. A deleted data node is told by its parent's children event (which
// has a zxid), so it is not an event of its own here.
import type { SnapshotMark, TimeBounds } from '../model/snapshot-mark.js';
import type { WatchEvent } from '../model/watch-event.js';
import type { SourceName } from '../snapshot/source-name.js';
import { statSourceOf } from '../snapshot/zk-stat-facts.js';
import { DROPPED_KEY, eventsOfRecord, GAP_PREFIX, UNWATCHED_KEY } from '../snapshot/zk-watch-facts.js';

export interface WatchedTime {
  /** ms since the epoch */
  at: number;
  /** `zookeeper`: the Stat's ctime/mtime (ZooKeeper's clock); `arrival`: when the event reached treesnap (its clock). */
  origin: 'zookeeper' | 'arrival';
  /** e.g. "watched: mtime of /services/chairman/m-7". */
  record: string;
}

export interface WatchedChangeEvent {
  type: 'watched';
  /** The two snapshots around the interval; `exact` only when ZooKeeper's Stat proves the time. */
  at: TimeBounds;
  source: SourceName;
  path: string;
  kind: 'children' | 'data';
  /** Children created and deleted (children events). */
  added?: string[];
  removed?: string[];
  /** The node's version after the write (data events). */
  version?: number;
  /** The zxid that orders the event (hex): mzxid of a write, pzxid of a child change. */
  zxid: string;
  time: WatchedTime;
}

/** A stretch without a watcher session: changes then are only what the snapshots and Stat counts show. */
export interface WatchGapEvent {
  type: 'watch_gap';
  at: TimeBounds;
  source: 'zk.watch';
  from: number;
  /** null: still open when recorded. */
  to: number | null;
  reason: string;
}

/** Events dropped past the daemon's bound in one interval (their values are gone). */
export interface WatchDroppedEvent {
  type: 'watch_dropped';
  at: TimeBounds;
  source: 'zk.watch';
  count: number;
}

/**
 * Ticks of a daemon that ran no watcher (`--no-watch`) from `at.by` on: changes
 * between them were not watched, which is not a gap (nothing was lost) but
 * how it ran. `ended`: the first tick that was not such a tick (a watching
 * daemon's, or a `collect`).
 */
export interface NotWatchedEvent {
  type: 'not_watched';
  at: TimeBounds;
  source: 'zk.watch';
  reason: string;
  ended: boolean;
}

export type WatchTimelineEvent = WatchedChangeEvent | WatchGapEvent | WatchDroppedEvent | NotWatchedEvent;

/** One `zk.watch` version as read, with the interval it closes. */
export interface WatchRecordRow {
  entity: string;
  value: string | null;
  /** The value this version replaced (only the held `unwatched` key needs it). */
  before?: string | null;
  /** The snapshot recorded with (closing the interval) and the one before it. */
  by: SnapshotMark;
  after: SnapshotMark | null;
}

export function watchedTime(e: WatchEvent): WatchedTime {
  if (e.kind === 'data' && e.stat) {
    const field = e.stat.version === 0 ? 'ctime' : 'mtime';
    return { at: e.stat[field], origin: 'zookeeper', record: `watched: ${field} of ${e.path}` };
  }
  return { at: e.arrivedAt, origin: 'arrival', record: `watched: ${e.kind} event of ${e.path} arrived (treesnap's clock)` };
}

function toEvent(e: WatchEvent, at: TimeBounds): WatchedChangeEvent | null {
  const source = statSourceOf(e.path);
  if (!source || e.kind === 'deleted' || !e.stat) return null;
  const time = watchedTime(e);
  const bounds = time.origin === 'zookeeper' ? { ...at, exact: { at: time.at, record: time.record } } : at;
  const base = { type: 'watched' as const, at: bounds, source, path: e.path, kind: e.kind, time };
  if (e.kind === 'data') return { ...base, version: e.stat.version, zxid: e.stat.mzxid };
  return { ...base, added: e.added ?? [], removed: e.removed ?? [], zxid: e.stat.pzxid };
}

/** zxids are 64-bit hex: compared as numbers. */
export function compareZxid(a: string, b: string): number {
  const x = BigInt(`0x${a}`);
  const y = BigInt(`0x${b}`);
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareWatch(a: WatchTimelineEvent, b: WatchTimelineEvent): number {
  const t = a.at.by.id - b.at.by.id;
  if (t) return t;
  if (a.type === 'watched' && b.type === 'watched') return compareZxid(a.zxid, b.zxid) || a.path.localeCompare(b.path);
  // Gaps and drop counts first: they qualify what follows in the interval.
  return (a.type === 'watched' ? 1 : 0) - (b.type === 'watched' ? 1 : 0);
}

/** The timeline events of the recorded `zk.watch` versions, in interval order, then zxid order. */
export function watchTimelineEvents(rows: readonly WatchRecordRow[], sources: readonly SourceName[]): WatchTimelineEvent[] {
  const out: WatchTimelineEvent[] = [];
  for (const r of rows) {
    const at: TimeBounds = { after: r.after, by: r.by };
    if (r.entity === UNWATCHED_KEY) {
      const v = r.value ?? r.before;
      if (v) out.push({ type: 'not_watched', at, source: 'zk.watch', reason: (JSON.parse(v) as { reason: string }).reason, ended: r.value === null });
      continue;
    }
    if (r.value === null) continue;
    if (r.entity.startsWith(GAP_PREFIX)) {
      const g = JSON.parse(r.value) as { from: number; to: number | null; reason: string };
      out.push({ type: 'watch_gap', at, source: 'zk.watch', from: g.from, to: g.to, reason: g.reason });
    } else if (r.entity === DROPPED_KEY) {
      out.push({ type: 'watch_dropped', at, source: 'zk.watch', count: (JSON.parse(r.value) as { count: number }).count });
    } else {
      for (const e of eventsOfRecord(r.entity, r.value)) {
        const ev = toEvent(e, at);
        if (ev && sources.includes(ev.source)) out.push(ev);
      }
    }
  }
  return out.sort(compareWatch);
}

/** "changes not watched from T1 to T2" (or "from T1 on" while still open). */
export function gapPhrase(g: Pick<WatchGapEvent, 'from' | 'to' | 'reason'>): string {
  const iso = (ms: number) => new Date(ms).toISOString();
  const until = g.to === null ? 'on (still not watched when recorded)' : `to ${iso(g.to)}`;
  return `changes not watched from ${iso(g.from)} ${until} (${g.reason})`;
}

/** "changes between ticks not watched (--no-watch) from here on", or where that ended. */
export function notWatchedPhrase(e: Pick<NotWatchedEvent, 'reason' | 'ended'>): string {
  return e.ended ? `ticks not watched (${e.reason}) end here` : `changes between ticks not watched (${e.reason}) from here on`;
}

/** What a watched event says, for text. */
export function watchedPhrase(e: WatchedChangeEvent): string {
  if (e.kind === 'data') return `written (version ${e.version}), ${e.time.record}`;
  const parts = [...(e.added ?? []).map((n) => `+${n}`), ...(e.removed ?? []).map((n) => `-${n}`)];
  return `children ${parts.join(' ') || 'unchanged'}, ${e.time.record}`;
}
