// The ZooKeeper and chairman trees at the window's first and last collection,
// each leaf and host annotated with what the diff between the two says
// changed about it (pure). The diff is the query layer's; this only attaches
// its items to the places in the trees they concern.
import type { ChangeItem } from '../query/classify-change.js';
import type { DiffReport } from '../query/load-diff.js';
import type { SnapshotMark } from '../model/snapshot-mark.js';
import type { Known, SnapshotOverview, TreeView } from '../query/snapshot-view.js';
import type { SourceName } from '../snapshot/source-name.js';
import { changePhrase } from '../present/describe-change.js';
import type { TreeComparison, TreeSide } from './report-model.js';

type TreeSource = TreeComparison['source'];

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const LEAF_CATEGORIES = new Set(['leaf_added', 'leaf_removed', 'leaf_owner_changed', 'leaf_address_changed']);

function note(c: ChangeItem): string {
  const phrase = changePhrase(c);
  return c.category === 'status_changed' ? `status ${phrase}` : phrase;
}

function push(map: Map<string, string[]>, id: string, text: string): void {
  const list = map.get(id);
  if (list) list.push(text);
  else map.set(id, [text]);
}

/** Change notes per leaf id and per host id, for one tree source. */
function notesFor(diff: DiffReport, tree: TreeSource): { leaves: Map<string, string[]>; hosts: Map<string, string[]> } {
  const leaves = new Map<string, string[]>();
  const hosts = new Map<string, string[]>();
  const about: SourceName[] = [tree, 'zk.hosts', 'zk.missing', 'status'];
  for (const s of diff.sources) {
    if (!about.includes(s.source)) continue;
    for (const c of s.changes) {
      if (s.source === tree && LEAF_CATEGORIES.has(c.category)) push(leaves, c.id, note(c));
      else push(hosts, c.id, note(c));
    }
  }
  return { leaves, hosts };
}

function side(snapshot: SnapshotMark, tree: Known<TreeView>, notes: ReturnType<typeof notesFor>): TreeSide {
  return {
    snapshot,
    known: tree.known,
    error: tree.error ? `${tree.error.kind}: ${tree.error.message}` : null,
    lastOkSnapshot: tree.lastOkSnapshot,
    rootAddress: tree.value.rootAddress,
    rootStatus: tree.value.rootStatus,
    leaves: tree.value.leaves
      .map((l) => ({
        id: l.id,
        owner: l.owner,
        address: l.address,
        changes: notes.leaves.get(l.id) ?? [],
        hosts: l.hosts
          .map((h) => ({ id: h.id, status: h.status, missing: h.missing, registered: h.registered, changes: notes.hosts.get(h.id) ?? [] }))
          .sort(byId),
      }))
      .sort(byId),
  };
}

const mark = (v: SnapshotOverview): SnapshotMark => ({ id: v.snapshot.id, startedAt: v.snapshot.startedAt });

export function treeComparisons(start: SnapshotOverview, end: SnapshotOverview, diff: DiffReport): TreeComparison[] {
  return (['zk.roles', 'chairman'] as const).map((source) => {
    const notes = notesFor(diff, source);
    // The report loads its overviews whole (ALL_PARTS): a missing tree is a bug, not an unknown source.
    const pick = (v: SnapshotOverview) => (source === 'zk.roles' ? v.zkTree : v.chairmanTree)!;
    return { source, start: side(mark(start), pick(start), notes), end: side(mark(end), pick(end), notes) };
  });
}
