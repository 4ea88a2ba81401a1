// Rebuilds the normalized model from stored facts (pure): leaf + placement
// facts → SchedulerTree, member facts → service members, and so on.
import type { Endpoint } from '../model/ids.js';
import type { HostNode, LeafNode, RootChild, SchedulerTree } from '../model/tree.js';
import type { ChildValue, LeafValue, MemberValue, PlacementValue } from '../snapshot/fact.js';
import type { StoredFact } from '../store/read-source-state.js';

export function byKind<T>(facts: StoredFact[], kind: StoredFact['kind']): Map<string, T> {
  const out = new Map<string, T>();
  for (const f of facts) if (f.kind === kind) out.set(f.entity, JSON.parse(f.value) as T);
  return out;
}

function compareIds(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function treeFromFacts(facts: StoredFact[], rootAddress: Endpoint | null): SchedulerTree {
  const leaves = new Map<string, LeafNode>();
  for (const [id, v] of byKind<LeafValue>(facts, 'leaf')) leaves.set(id, { id, owner: v.owner, address: v.address, hosts: [] });
  for (const [hostId, p] of byKind<PlacementValue>(facts, 'placement')) {
    let leaf = leaves.get(p.leaf);
    // A placement whose leaf fact is absent still shows, under a leaf with no known owner.
    if (!leaf) leaves.set(p.leaf, (leaf = { id: p.leaf, owner: null, address: null, hosts: [] }));
    leaf.hosts.push({ id: hostId, address: p.address } satisfies HostNode);
  }
  const sorted = [...leaves.values()].sort(compareIds);
  for (const l of sorted) l.hosts.sort(compareIds);
  return { rootAddress, leaves: sorted };
}

export function rootChildrenFromFacts(facts: StoredFact[]): RootChild[] {
  return [...byKind<ChildValue>(facts, 'child')]
    .map(([id, v]) => ({ id, owner: v.owner, address: v.address }))
    .sort(compareIds);
}

export interface ServiceMembersView {
  service: string;
  members: { name: string; address: Endpoint | null; error: string | null }[];
  /** Set only when there is exactly one member with a readable address. */
  leader: Endpoint | null;
}

export function servicesFromFacts(facts: StoredFact[], services: readonly string[]): ServiceMembersView[] {
  const members = byKind<MemberValue>(facts, 'member');
  return services.map((service) => {
    const list = [...members]
      .filter(([entity]) => entity.startsWith(`${service}/`))
      .map(([entity, v]) => ({ name: entity.slice(service.length + 1), address: v.address, error: v.error }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const only = list.length === 1 ? list[0] : undefined;
    return { service, members: list, leader: only?.address ?? null };
  });
}
