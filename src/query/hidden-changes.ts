// Changes ZooKeeper counted that no collection saw (pure). Every write bumps a
// node's version, every child created or deleted its parent's cversion, and a
// node deleted and created again gets a new czxid. So when a node's Stat moved
// further between two collections than the changes they saw explain, the
// difference happened and reverted unseen in between: a missing report made
// and withdrawn within a tick, a /roles node rewritten with the same value, a
// leader that left and came back at the same address.
//
// What was seen at a Stat version's snapshot S: the versions of the facts the
// node holds, at S only. (Any seen change between the previous Stat version P
// and S would have written a Stat version itself, so none lies in between.)
import type { SnapshotMark, TimeBounds } from '../model/snapshot-mark.js';
import type { ZkStat } from '../model/zk-stat.js';
import type { FactKind, LeafValue } from '../snapshot/fact.js';
import type { SourceName } from '../snapshot/source-name.js';
import { statSourceOf } from '../snapshot/zk-stat-facts.js';
import type { WatchTimelineEvent } from './watched-events.js';

export interface HiddenChangesEvent {
  type: 'hidden_changes';
  /** after: the collection that last recorded the node's Stat; by: the one that found it moved. */
  at: TimeBounds;
  source: SourceName;
  path: string;
  /** What ZooKeeper counted: writes to the node, or children created and deleted under it. */
  changes: number;
  /** How many of them the collections saw. */
  seen: number;
  /** The node was deleted and created again in between (its czxid is new). */
  recreated: boolean;
}

/** One Stat version with the Stat it replaced and where that was recorded. */
export interface StatChange {
  path: string;
  before: ZkStat;
  after: ZkStat;
  previous: SnapshotMark;
  snapshot: SnapshotMark;
}

/** A fact version seen at the same snapshot, for counting what was seen. */
export interface SeenChange {
  source: SourceName;
  kind: FactKind;
  entity: string;
  before: unknown;
  after: unknown;
}

/** A node error that appeared or went: an unreadable node created or deleted, or written again. */
const nodeErrorUnder = (c: SeenChange, parent: string) => c.kind === 'node_error' && c.entity.startsWith(`${parent}/`);
const appearedOrWent = (c: SeenChange) => c.before === null || c.after === null;

const PARENT_CHILDREN: Record<string, (c: SeenChange) => boolean> = {
  '/missing': (c) => c.source === 'zk.missing' && c.kind === 'missing',
  '/hosts': (c) => c.source === 'zk.hosts' && (c.kind === 'registration' || nodeErrorUnder(c, '/hosts')) && appearedOrWent(c),
  '/roles': (c) => c.source === 'zk.roles' && (c.kind === 'leaf' || nodeErrorUnder(c, '/roles')) && appearedOrWent(c),
  '/services/chairman': (c) => c.source === 'zk.services' && c.entity.startsWith('chairman/') && (c.before === null || c.after === null),
  '/services/root-scheduler': (c) =>
    c.source === 'zk.services' && c.entity.startsWith('root-scheduler/') && (c.before === null || c.after === null),
};

function ownerOf(v: unknown): string | null {
  return (v as LeafValue | null)?.owner ?? null;
}

/** Whether a seen change is the value of data node `path` changing. */
function writesNode(path: string, c: SeenChange): boolean {
  const [, top, name, member] = path.split('/');
  if (c.kind === 'node_error') return c.entity === path;
  if (top === 'hosts') return c.source === 'zk.hosts' && c.kind === 'registration' && c.entity === name;
  if (top === 'services') return c.source === 'zk.services' && c.kind === 'member' && c.entity === `${name}/${member}`;
  // A Roles value holds a leaf and its hosts; any zk.roles change of that leaf is a write of it.
  if (top === 'roles') return c.source === 'zk.roles' && (ownerOf(c.before) === name || ownerOf(c.after) === name || c.kind === 'placement');
  return false;
}

/** The keys under which a seen change may write a data node (writesNode's cases), '*' for every /roles node. */
function writtenNodeKeys(c: SeenChange): string[] {
  if (c.kind === 'node_error') return [`e\u0000${c.entity}`];
  if (c.source === 'zk.hosts' && c.kind === 'registration') return [`hosts\u0000${c.entity}`];
  if (c.source === 'zk.services' && c.kind === 'member') return [`services\u0000${c.entity}`];
  if (c.source !== 'zk.roles') return [];
  if (c.kind === 'placement') return ['*'];
  return [ownerOf(c.before), ownerOf(c.after)].filter((o) => o !== null).map((o) => `roles\u0000${o}`);
}

/**
 * For each Stat path, the seen changes hiddenChanges needs to judge it: every
 * one for a parent (it counts children), else only those that may write the
 * node, found by key. Judging each moved node against all of a year's diff was
 * moved nodes × changes (0.2 s of `diff 1 latest` at 100,000 snapshots).
 */
export function seenChangesIndex(seen: readonly SeenChange[]): (path: string) => readonly SeenChange[] {
  const byKey = new Map<string, SeenChange[]>();
  for (const c of seen) for (const k of writtenNodeKeys(c)) (byKey.get(k) ?? byKey.set(k, []).get(k)!).push(c);
  return (path) => {
    if (PARENT_CHILDREN[path]) return seen;
    const [, top, name, member] = path.split('/');
    const node = top === 'services' ? `${name}/${member}` : name;
    const own = top === 'hosts' || top === 'services' || top === 'roles' ? byKey.get(`${top}\u0000${node}`) : undefined;
    return joined([byKey.get(`e\u0000${path}`), own, top === 'roles' ? byKey.get('*') : undefined]);
  };
}

/**
 * The lists one after the other; a single list is handed back as it is: a year's
 * diff asks this for each of ~1,500 nodes, and each of the 157 /roles nodes
 * would otherwise copy the year's ~1,450 placement changes.
 */
function joined(lists: readonly (readonly SeenChange[] | undefined)[]): readonly SeenChange[] {
  const some = lists.filter((l): l is readonly SeenChange[] => l !== undefined && l.length > 0);
  return some.length === 1 ? some[0]! : some.flat();
}

/**
 * How many changes the daemon's watcher saw per (snapshot, path): a child
 * created or deleted under a parent, a write to a data node (a deletion is
 * counted at its parent, and for the node itself by its recreation's write).
 */
export function watchedChangeCounts(watched: readonly WatchTimelineEvent[]): Map<string, number> {
  const out = new Map<string, number>();
  const add = (snapshot: number, path: string, n: number) => out.set(`${snapshot}\u0000${path}`, (out.get(`${snapshot}\u0000${path}`) ?? 0) + n);
  for (const e of watched) {
    if (e.type !== 'watched') continue;
    if (e.kind === 'children') {
      add(e.at.by.id, e.path, (e.added?.length ?? 0) + (e.removed?.length ?? 0));
      for (const n of e.removed ?? []) add(e.at.by.id, `${e.path}/${n}`, 1);
    } else add(e.at.by.id, e.path, 1);
  }
  return out;
}

/**
 * The hidden changes a Stat version shows, or null when what was seen explains
 * it. `watched`: how many changes of the node the daemon's watcher saw in that
 * interval; what it saw is not hidden.
 */
export function hiddenChanges(s: StatChange, seenAtSnapshot: readonly SeenChange[], watched = 0): HiddenChangesEvent | null {
  const source = statSourceOf(s.path);
  if (!source) return null;
  const at = { after: s.previous, by: s.snapshot };
  const recreated = s.before.czxid !== s.after.czxid;
  const childrenSeen = PARENT_CHILDREN[s.path];
  let changes: number;
  let seen: number;
  if (childrenSeen) {
    changes = s.after.cversion - s.before.cversion;
    seen = seenAtSnapshot.filter(childrenSeen).length;
  } else {
    // Recreated: the delete and the create, plus every write to the new node.
    changes = recreated ? 2 + s.after.version : s.after.version - s.before.version;
    seen = Math.min(changes, seenAtSnapshot.some((c) => writesNode(s.path, c)) ? 1 : 0);
  }
  seen = Math.min(changes, Math.max(seen, watched));
  if (changes <= seen && (!recreated || watched > 0)) return null;
  return { type: 'hidden_changes', at, source, path: s.path, changes, seen, recreated };
}

/** Changes ZooKeeper counted at a node between a diff's two snapshots that the diff does not show. */
export interface DiffHiddenChanges {
  source: SourceName;
  path: string;
  /** What ZooKeeper counted between the two snapshots. */
  changes: number;
  /** How many of them the diff shows (its net change). */
  seen: number;
  /** How many of the others the daemon's watcher saw (the timeline shows them). */
  watched: number;
  recreated: boolean;
}

/**
 * A node's Stat at a diff's two ends against the diff's own changes: what
 * moved beyond them (changes made and undone in between, or seen only by the
 * collections in between), and how much of that the watcher saw in between
 * (`watched`: its count for the node over the whole range).
 */
export function diffHiddenChanges(s: StatChange, diffChanges: readonly SeenChange[], watched: number): DiffHiddenChanges | null {
  const e = hiddenChanges(s, diffChanges);
  if (!e) return null;
  return { source: e.source, path: e.path, changes: e.changes, seen: e.seen, watched: Math.min(e.changes - e.seen, watched), recreated: e.recreated };
}
