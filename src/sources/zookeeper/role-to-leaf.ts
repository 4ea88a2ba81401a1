// One /roles/<owner> value as a leaf of the scheduler tree, by the original
// tool's rules: the role's host_children are the leaf's hosts, and the owner
// is the host child whose id equals the /roles child name. The leaf listens
// where its owner does. Pure.
import type { HostId } from '../../model/ids.js';
import type { LeafNode } from '../../model/tree.js';
import type { SchedulerRoleValue } from './roles-value.js';

export function roleToLeaf(ownerName: HostId, role: SchedulerRoleValue): LeafNode {
  const hosts = role.hostChildren.map((c) => ({ id: c.id, address: c.address }));
  const owner = hosts.find((h) => h.id === ownerName) ?? null;
  return { id: role.id, owner: owner?.id ?? null, address: owner?.address ?? null, hosts };
}
