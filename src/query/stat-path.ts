// Which ZooKeeper node's Stat times a change (pure), and which of its times:
// the node whose read showed the new value. A value read with getData comes
// with the Stat of that very write, so its mtime is when the value was
// written (its ctime too, for a node never written since). A /missing child
// is only listed, its Stat checked right after: its ctime is when the host was
// reported missing. A removal leaves no node, hence no time.
import type { FactKind, LeafValue } from '../snapshot/fact.js';
import type { StoredSource } from '../snapshot/source-name.js';

export interface StatPath {
  path: string;
  field: 'ctime' | 'mtime';
}

export function statPathOf(v: { source: StoredSource; kind: FactKind; entity: string; after: unknown }): StatPath | null {
  if (v.after === null || v.after === undefined) return null;
  if (v.source === 'zk.missing' && v.kind === 'missing') return { path: `/missing/${v.entity}`, field: 'ctime' };
  if (v.source === 'zk.services' && v.kind === 'member') return { path: `/services/${v.entity}`, field: 'mtime' };
  if (v.source === 'zk.hosts' && v.kind === 'registration') return { path: `/hosts/${v.entity}`, field: 'mtime' };
  if (v.source === 'zk.roles' && v.kind === 'leaf') {
    const owner = (v.after as LeafValue).owner;
    return owner ? { path: `/roles/${owner}`, field: 'mtime' } : null;
  }
  return null;
}
