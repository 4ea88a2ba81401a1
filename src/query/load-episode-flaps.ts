// The hidden changes at a few ZooKeeper nodes over a snapshot range (I/O
// glue for episode-flaps.ts): each node's Stat versions from the one holding
// at the range's start (one read for all), what the collections saw of the
// node at each, and what the daemon's watcher saw.
import type { ZkStat } from '../model/zk-stat.js';
import { statSourceOf } from '../snapshot/zk-stat-facts.js';
import { type HistoryReader, type Marks } from '../store/index.js';
import { hiddenChanges, watchedChangeCounts, type HiddenChangesEvent, type SeenChange } from './hidden-changes.js';
import type { WatchTimelineEvent } from './watched-events.js';

/** The /hosts registration changes seen at each (host, snapshot): a /hosts/<id> write the collections saw. */
function seenRegistrations(db: HistoryReader, pairs: [string, number][]): Set<string> {
  const out = new Set<string>();
  for (const [host, versions] of db.versionsAt('zk.hosts', 'registration', pairs)) for (const v of versions) out.add(`${host}\u0000${v.snapshot}`);
  return out;
}

/**
 * `watched` is read only when the Stats show something unseen by the
 * collections: what the watcher saw can only take hidden changes away.
 */
export function hiddenAtPaths(
  db: HistoryReader,
  m: Marks,
  paths: readonly string[],
  afterId: number,
  toId: number,
  watched: () => readonly WatchTimelineEvent[],
): HiddenChangesEvent[] {
  if (!paths.length) return [];
  const changes: StatPair[] = [];
  for (const [path, versions] of db.versionsOfEntities('zk.stat', 'stat', paths, toId, afterId)) {
    for (let i = 1; i < versions.length; i++) {
      const [b, a] = [versions[i - 1]!, versions[i]!];
      if (a.snapshot > afterId && b.value && a.value) changes.push({ path, before: JSON.parse(b.value), after: JSON.parse(a.value), snapshot: a.snapshot });
    }
  }
  const sources = [...new Set(paths.map(statSourceOf).filter((x) => x !== null))];
  m.preload(changes.map((c) => c.snapshot), { previousOk: sources });
  const hostWrites = changes.filter((c) => c.path.startsWith('/hosts/')).map((c): [string, number] => [c.path.slice('/hosts/'.length), c.snapshot]);
  const seenHosts = hostWrites.length ? seenRegistrations(db, hostWrites) : new Set<string>();
  const unwatched = hiddenOf(m, changes, seenHosts, new Map());
  return unwatched.length ? hiddenOf(m, changes, seenHosts, watchedChangeCounts(watched())) : [];
}

type StatPair = { path: string; before: ZkStat; after: ZkStat; snapshot: number };

function hiddenOf(m: Marks, changes: readonly StatPair[], seenHosts: ReadonlySet<string>, counts: ReadonlyMap<string, number>): HiddenChangesEvent[] {
  const out: HiddenChangesEvent[] = [];
  for (const c of changes) {
    const source = statSourceOf(c.path);
    const previous = source && m.previousOk(source, c.snapshot);
    if (!previous) continue;
    const host = c.path.slice('/hosts/'.length);
    const seen: SeenChange[] = c.path.startsWith('/hosts/') && seenHosts.has(`${host}\u0000${c.snapshot}`)
      ? [{ source: 'zk.hosts', kind: 'registration', entity: host, before: undefined, after: undefined }]
      : [];
    const e = hiddenChanges({ ...c, previous, snapshot: m.mark(c.snapshot) }, seen, counts.get(`${c.snapshot}\u0000${c.path}`) ?? 0);
    if (e) out.push(e);
  }
  return out;
}
