// Which nodes a collection probes, and at which address (pure): the union of
// every node any source knows. For a host, the address it registered with in
// /hosts wins, then its ZooKeeper placement, then the chairman's.
import type { HostRegistration } from '../model/host-config.js';
import { ROOT_SCHEDULER_ID, type Endpoint } from '../model/ids.js';
import type { Result } from '../model/result.js';
import type { SchedulerTree } from '../model/tree.js';

export interface TargetInputs {
  rootAddress: Endpoint | null;
  zkTree: Result<{ tree: SchedulerTree }, unknown>;
  registrations: Result<{ hosts: HostRegistration[] }, unknown>;
  chairmanTree: Result<SchedulerTree, unknown>;
}

/** null when no source listing nodes could be read: the node set is unknown. */
export function probeTargets(inputs: TargetInputs): Map<string, Endpoint | null> | null {
  const { zkTree, registrations, chairmanTree } = inputs;
  if (!zkTree.ok && !registrations.ok && !chairmanTree.ok) return null;
  const targets = new Map<string, Endpoint | null>([[ROOT_SCHEDULER_ID, inputs.rootAddress]]);
  const offer = (id: string, address: Endpoint | null) => {
    if (!targets.get(id)) targets.set(id, address);
  };
  if (registrations.ok) for (const h of registrations.value.hosts) offer(h.id, h.address);
  if (zkTree.ok) for (const l of zkTree.value.tree.leaves) for (const h of l.hosts) offer(h.id, h.address);
  if (chairmanTree.ok) for (const l of chairmanTree.value.leaves) for (const h of l.hosts) offer(h.id, h.address);
  return targets;
}
