// Times the daemon's watcher proves for changes the Stats cannot time (pure).
// A node deleted leaves no Stat, but the watcher saw its parent's children
// event, and the time that event reached treesnap (its clock, and named so)
// is when the deletion was known. Only the last event of that child in the
// range counts (the one that made the later state), and only when nothing
// after it went unwatched: a gap or dropped events after it may hide the
// node coming back and going again.
import type { ExactTime, SnapshotMark } from '../model/snapshot-mark.js';
import type { LeafValue } from '../snapshot/fact.js';
import type { FactDelta } from './classify-change.js';
import type { WatchTimelineEvent } from './watched-events.js';

/** The node whose deletion or creation a fact's change is, as its parent's child: null for other facts. */
export function childNodeOf(d: Pick<FactDelta, 'source' | 'kind' | 'entity' | 'before' | 'after'>): { parent: string; name: string } | null {
  if (d.source === 'zk.missing' && d.kind === 'missing') return { parent: '/missing', name: d.entity };
  if (d.source === 'zk.hosts' && d.kind === 'registration') return { parent: '/hosts', name: d.entity };
  if (d.source === 'zk.services' && d.kind === 'member') {
    const at = d.entity.lastIndexOf('/');
    return { parent: `/services/${d.entity.slice(0, at)}`, name: d.entity.slice(at + 1) };
  }
  if (d.source === 'zk.roles' && d.kind === 'leaf') {
    const owner = ((d.after ?? d.before) as LeafValue | null)?.owner;
    return owner ? { parent: '/roles', name: owner } : null;
  }
  return null;
}

/** The first index whose interval closes after snapshot `id` (events are in interval order). */
function firstAfter(events: readonly WatchTimelineEvent[], id: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid]!.at.by.id <= id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The events of the intervals closed by snapshots in (afterId, byId], found by
 * binary search: callers time one change after another against a year of events.
 */
function eventsIn(events: readonly WatchTimelineEvent[], afterId: number, byId: number): readonly WatchTimelineEvent[] {
  return events.slice(firstAfter(events, afterId), firstAfter(events, byId));
}

/** When something in `events` went unwatched: a gap still open or ending at or after a time, dropped events, no watcher. */
function unwatchedFrom(events: readonly WatchTimelineEvent[]): (t: number) => boolean {
  let always = false;
  let latestGapEnd = -Infinity;
  for (const e of events) {
    if (e.type === 'watch_dropped' || (e.type === 'not_watched' && !e.ended)) always = true;
    if (e.type === 'watch_gap') latestGapEnd = Math.max(latestGapEnd, e.to ?? Infinity);
  }
  return (t) => always || latestGapEnd >= t;
}

/**
 * When the watcher saw each of `children` deleted (`created`: false) or
 * created, from `events` of the intervals closed by snapshots in (after, by]:
 * its last event there, if it was that change and nothing after it went
 * unwatched. One pass over the events however many children are asked.
 * `events` in interval order, as watchTimelineEvents gives them.
 */
export function watchedChildTimes(
  events: readonly WatchTimelineEvent[],
  children: readonly { parent: string; name: string }[],
  created: boolean,
  after: SnapshotMark | null,
  by: SnapshotMark,
): (ExactTime | null)[] {
  const inRange = eventsIn(events, after ? after.id : -Infinity, by.id);
  const last = new Map<string, { added: boolean; at: number }>();
  for (const e of inRange) {
    if (e.type !== 'watched' || e.kind !== 'children') continue;
    for (const name of e.added ?? []) last.set(`${e.path}\u0000${name}`, { added: true, at: e.time.at });
    for (const name of e.removed ?? []) last.set(`${e.path}\u0000${name}`, { added: false, at: e.time.at });
  }
  const unwatchedAfter = unwatchedFrom(inRange);
  const what = created ? 'created' : 'deleted';
  return children.map((child) => {
    const l = last.get(`${child.parent}\u0000${child.name}`);
    if (!l || l.added !== created || unwatchedAfter(l.at)) return null;
    return { at: l.at, record: `watched: ${child.parent}/${child.name} ${what}, children event of ${child.parent} arrived (treesnap's clock)`, origin: 'arrival' };
  });
}

/** watchedChildTimes for one child. */
export function watchedChildTime(
  events: readonly WatchTimelineEvent[],
  child: { parent: string; name: string },
  created: boolean,
  after: SnapshotMark | null,
  by: SnapshotMark,
): ExactTime | null {
  return watchedChildTimes(events, [child], created, after, by)[0]!;
}
