// Rebuilds the normalized model from a source's parsed facts (pure): leaf +
// placement facts → SchedulerTree, member facts → service members, and so on.
import type { Endpoint } from '../model/ids.js';
import type { HostNode, LeafNode, RootChild, SchedulerTree } from '../model/tree.js';
import type { ChildValue, LeafValue, MemberValue, PlacementValue } from '../snapshot/fact.js';
import type { FactKind } from '../snapshot/fact.js';
import type { SourceState } from '../store/index.js';

/** The facts of one kind, values parsed: entity → value. */
export function byKind<T>(facts: SourceState, kind: FactKind): Map<string, T> {
  const out = new Map<string, T>();
  facts.each(kind, (entity, value) => out.set(entity, JSON.parse(value) as T));
  return out;
}

/** Which entities have a fact of this kind, without parsing any value. */
export function entitiesOf(facts: SourceState, kind: FactKind): Set<string> {
  return new Set(facts.entities(kind));
}

function compareIds(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The tree's first `limit` leaves by id, each with all its hosts, and how many
 * leaves were left out. Only the leaves kept get their hosts sorted: `show`
 * prints the first 50 of a cluster's hundreds.
 */
export function firstLeaves(facts: SourceState, rootAddress: Endpoint | null, limit: number): { tree: SchedulerTree; leftOut: number } {
  const leaves = new Map<string, LeafNode>();
  facts.each('leaf', (id, value) => {
    const v = JSON.parse(value) as LeafValue;
    leaves.set(id, { id, owner: v.owner, address: v.address, hosts: [] });
  });
  facts.each('placement', (hostId, value) => {
    const p = JSON.parse(value) as PlacementValue;
    let leaf = leaves.get(p.leaf);
    // A placement whose leaf fact is absent still shows, under a leaf with no known owner.
    if (!leaf) leaves.set(p.leaf, (leaf = { id: p.leaf, owner: null, address: null, hosts: [] }));
    leaf.hosts.push({ id: hostId, address: p.address } satisfies HostNode);
  });
  const sorted = [...leaves.values()].sort(compareIds);
  const kept = sorted.slice(0, limit);
  for (const l of kept) l.hosts.sort(compareIds);
  return { tree: { rootAddress, leaves: kept }, leftOut: sorted.length - kept.length };
}

export function rootChildrenFromFacts(facts: SourceState): RootChild[] {
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

export function servicesFromFacts(facts: SourceState, services: readonly string[]): ServiceMembersView[] {
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
