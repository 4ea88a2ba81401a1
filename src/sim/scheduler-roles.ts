// The Thrift roles and answers the chairman derives from its placement, and
// the same tree as treesnap's model (the simulator's ground truth). Pure.
//
// A host whose endpoint is unknown cannot be described by a ChildInfo (address
// and port are required), so it is left out of roles; the chairman only places
// registered hosts, so this does not happen in practice.
import photon from '../generated/thrift/photon_types.js';
import { ROOT_SCHEDULER_ID, type Endpoint, type HostId } from '../model/ids.js';
import type { LeafNode, SchedulerTree } from '../model/tree.js';
import type { PlacedLeaf } from './placement.js';

export type EndpointOf = (host: HostId) => Endpoint | null;

/** The leaf's role as persisted in /roles/<owner> and pushed to its owner. */
export function leafRole(leaf: PlacedLeaf, endpointOf: EndpointOf): photon.SchedulerRole {
  const hostChildren: photon.ChildInfo[] = [];
  for (const host of leaf.hosts) {
    const at = endpointOf(host);
    if (at) hostChildren.push(new photon.ChildInfo({ id: host, address: at.host, port: at.port }));
  }
  return new photon.SchedulerRole({
    id: leaf.id,
    parent_id: ROOT_SCHEDULER_ID,
    hosts: [...leaf.hosts],
    host_children: hostChildren,
  });
}

/** The root's role: one scheduler child per leaf, at its owner's address. */
export function rootRole(leaves: readonly PlacedLeaf[], endpointOf: EndpointOf): photon.SchedulerRole {
  const children: photon.ChildInfo[] = [];
  for (const leaf of leaves) {
    const owner = leaf.hosts[0];
    const at = owner === undefined ? null : endpointOf(owner);
    if (owner === undefined || !at) continue;
    children.push(new photon.ChildInfo({ id: leaf.id, address: at.host, port: at.port, owner_host: owner }));
  }
  return new photon.SchedulerRole({
    id: ROOT_SCHEDULER_ID,
    schedulers: children.map((c) => c.id),
    scheduler_children: children,
  });
}

/** The chairman's get_schedulers answer: the root entry, then one entry per leaf. */
export function chairmanSchedulers(leaves: readonly PlacedLeaf[], endpointOf: EndpointOf): photon.SchedulerEntry[] {
  const entries = [new photon.SchedulerEntry({ role: rootRole(leaves, endpointOf) })];
  for (const leaf of leaves) {
    const owner = leaf.hosts[0];
    entries.push(new photon.SchedulerEntry({ role: leafRole(leaf, endpointOf), ...(owner === undefined ? {} : { agent: owner }) }));
  }
  return entries;
}

/** The tree in treesnap's model, for comparing what treesnap reads against the truth. */
export function schedulerTree(leaves: readonly PlacedLeaf[], endpointOf: EndpointOf, rootAddress: Endpoint | null): SchedulerTree {
  return {
    rootAddress,
    leaves: leaves.map((leaf): LeafNode => {
      const owner = leaf.hosts[0] ?? null;
      return {
        id: leaf.id,
        owner,
        address: owner === null ? null : endpointOf(owner),
        hosts: leaf.hosts.map((id) => ({ id, address: endpointOf(id) })),
      };
    }),
  };
}
