// Whether an episode may have flapped between the collections that saw it
// (pure). ZooKeeper's Stat counts every write to a node and every child
// created or deleted under it, so where the Stat of a node behind an episode
// moved further than the collections (and the daemon's watcher) saw while the
// episode lasted, the item may have gone and come back unseen. Only "may":
// a rewrite with the same value moves the version too. Where the Stat shows
// nothing hidden, nothing is said (it counts every write, watched or not).
import type { HiddenChangesEvent } from './hidden-changes.js';
import { DRIFT_KIND_REGISTRY } from './drift-kinds.js';
import type { DriftItem } from './drift.js';

export interface MayHaveFlapped {
  /** Changes ZooKeeper counted at the nodes while the episode lasted that neither a collection nor the watcher saw. */
  changes: number;
  /** The ZooKeeper nodes they were counted at. */
  paths: string[];
}

/**
 * The ZooKeeper nodes whose Stat shows a host item's hidden writes: its
 * /missing entry and its /hosts registration, where the item compares them.
 * (Leaf and service items, and a host's /roles node, are not covered.)
 */
export function flapPathsOf(item: Pick<DriftItem, 'kind' | 'ids' | 'sources'>): string[] {
  if (DRIFT_KIND_REGISTRY[item.kind].per !== 'host') return [];
  const id = item.ids[0]!;
  return [...(item.sources.includes('zk.missing') ? [`/missing/${id}`] : []), ...(item.sources.includes('zk.hosts') ? [`/hosts/${id}`] : [])];
}

/**
 * The hidden changes at `paths` found by collections after the episode's
 * first sighting (`firstSeen`: the collection that saw it start, whose own
 * Stat shows the write that started it) up to its end (`end`: the collection
 * that saw it gone, or the last that saw it).
 */
export function mayHaveFlapped(hidden: readonly HiddenChangesEvent[], paths: readonly string[], firstSeen: number, end: number): MayHaveFlapped | null {
  const inside = hidden.filter((h) => paths.includes(h.path) && h.at.by.id > firstSeen && h.at.by.id <= end);
  if (!inside.length) return null;
  return { changes: inside.reduce((n, h) => n + h.changes - h.seen, 0), paths: [...new Set(inside.map((h) => h.path))] };
}

export function flapText(f: MayHaveFlapped): string {
  return `may have flapped in between (${f.changes} change${f.changes === 1 ? '' : 's'} not seen)`;
}
