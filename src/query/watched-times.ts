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

/** Whether anything in `events` went unwatched at or after `t`: a gap still open or ending later, dropped events, no watcher. */
function unwatchedAfter(events: readonly WatchTimelineEvent[], t: number): boolean {
  return events.some(
    (e) => (e.type === 'watch_gap' && (e.to === null || e.to >= t)) || e.type === 'watch_dropped' || (e.type === 'not_watched' && !e.ended),
  );
}

/**
 * When the watcher saw `name` deleted (`created`: false) or created under
 * `parent`, from `events` of the intervals closed by snapshots in (after, by]:
 * its last event there, if it was that change and nothing after it went unwatched.
 */
export function watchedChildTime(
  events: readonly WatchTimelineEvent[],
  child: { parent: string; name: string },
  created: boolean,
  after: SnapshotMark | null,
  by: SnapshotMark,
): ExactTime | null {
  const inRange = events.filter((e) => e.at.by.id <= by.id && (!after || e.at.by.id > after.id));
  let last: { added: boolean; at: number } | null = null;
  for (const e of inRange) {
    if (e.type !== 'watched' || e.kind !== 'children' || e.path !== child.parent) continue;
    if (e.added?.includes(child.name)) last = { added: true, at: e.time.at };
    if (e.removed?.includes(child.name)) last = { added: false, at: e.time.at };
  }
  if (!last || last.added !== created || unwatchedAfter(inRange, last.at)) return null;
  const what = created ? 'created' : 'deleted';
  return { at: last.at, record: `watched: ${child.parent}/${child.name} ${what}, children event of ${child.parent} arrived (treesnap's clock)`, origin: 'arrival' };
}
