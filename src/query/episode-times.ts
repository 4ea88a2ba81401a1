// Exact edges of drift episodes (pure). An episode starts (or ends) between
// two collections; it starts exactly when one ZooKeeper write made it, and a
// write is proven only when the changes the collection saw at that edge, of
// the facts the item compares, all come from one node whose Stat, recorded
// in that very collection, shows a single write since the previous one
// (version up by one, or a node created). Any other related change at the
// edge (a chairman's view, a probe, a removal, which leaves no Stat, a second
// node) could be what made or ended the drift, so the bounds then stay alone.
// A time outside the edge's bounds (clocks apart) proves nothing either.
import type { ExactTime, SnapshotMark } from '../model/snapshot-mark.js';
import type { ZkStat } from '../model/zk-stat.js';
import type { PlacementValue } from '../snapshot/fact.js';
import type { FactDelta } from './classify-change.js';
import { DRIFT_KIND_REGISTRY } from './drift-kinds.js';
import type { DriftItem } from './drift.js';
import { statPathOf, type StatPath } from './stat-path.js';

/** Whether a change seen at an episode's edge concerns what the item compares. */
export function concernsItem(item: Pick<DriftItem, 'kind' | 'ids' | 'sources'>, c: FactDelta): boolean {
  if (!item.sources.includes(c.source)) return false;
  const per = DRIFT_KIND_REGISTRY[item.kind].per;
  const id = item.ids[0]!;
  if (per === 'service') return c.kind === 'member' && c.entity.startsWith(`${id}/`);
  if (per === 'path') return c.kind === 'node_error' && c.entity === id;
  if (item.ids.includes(c.entity)) return true;
  // A leaf's host list is the placements into it.
  const inLeaf = (v: unknown) => (v as PlacementValue | null)?.leaf === id;
  return per === 'leaf' && c.kind === 'placement' && (inLeaf(c.before) || inLeaf(c.after));
}

/**
 * The one ZooKeeper node whose write shows every change in `changes`, or null.
 * A placement is written in its leaf's `/roles/<owner>` (`ownerOf` names the
 * owner of a leaf as read in the same collection); a placement gone from a
 * leaf that still exists was written there too, by the write that dropped it.
 * A deleted node (a removed leaf, a withdrawn /missing report) has no Stat.
 */
export function writtenNode(changes: readonly FactDelta[], ownerOf: (leaf: string) => string | null): StatPath | null {
  if (!changes.length) return null;
  const paths = changes.map((c): StatPath | null => {
    if (c.source === 'zk.roles' && c.kind === 'placement') {
      const leaf = ((c.after ?? c.before) as PlacementValue).leaf;
      const owner = ownerOf(leaf);
      return owner ? { path: `/roles/${owner}`, field: 'mtime' } : null;
    }
    return statPathOf(c);
  });
  const first = paths[0];
  return first && paths.every((p) => p?.path === first.path && p.field === first.field) ? first : null;
}

/**
 * The time of the single write a node's Stat proves: `stat` recorded with the
 * edge's collection, `previous` the Stat recorded before it (null: none, the
 * node is new to the history).
 */
export function singleWrite(p: StatPath, stat: ZkStat | null, previous: ZkStat | null): ExactTime | null {
  if (!stat) return null;
  const created = !previous || previous.czxid !== stat.czxid;
  const oneWrite = created ? stat.version === 0 : stat.version - previous.version === 1;
  return oneWrite ? { at: stat[p.field], record: `${p.field} of ${p.path}` } : null;
}

/** `exact` when it lies after `after` and by `by` (a ZooKeeper clock far off treesnap's proves nothing). */
export function withinEdge(exact: ExactTime | null, after: SnapshotMark | null, by: SnapshotMark): ExactTime | null {
  if (!exact || !after) return null;
  return exact.at > after.startedAt && exact.at <= by.startedAt ? exact : null;
}
