// One entry per kind of drift (pure data): what its check is computed per,
// the sources it compares, and its title. The checks themselves are in
// drift.ts, grouped by the entity they look at. Adding a kind is one entry
// here plus the lines of its check; the order here is the order of output.
import type { SourceName } from '../snapshot/source-name.js';

/** What a check is computed per: one leaf, host, service or ZooKeeper path. */
export type CheckedPer = 'leaf' | 'host' | 'service' | 'path';

/**
 * Which hosts an item of the kind affects, for the blast radius: the one host
 * it is about, every host of the leaf it is about, the hosts one side's list
 * has and the other's lacks, or none (a service, a ZooKeeper path).
 */
export type Affects = 'host' | 'whole_leaf' | 'listed_hosts' | 'nothing';

export interface DriftKindEntry {
  per: CheckedPer;
  affects: Affects;
  /** The sources it compares (node errors: the sources that can report them; an item names the one that did). */
  sources: readonly SourceName[];
  title: string;
}

const TREES = ['zk.roles', 'chairman'] as const satisfies SourceName[];

export const DRIFT_KIND_REGISTRY = {
  leaf_in_one_source: { per: 'leaf', affects: 'whole_leaf', sources: TREES, title: 'Leaf in one tree source only' },
  leaf_owner_differs: { per: 'leaf', affects: 'whole_leaf', sources: TREES, title: 'Same leaf, different owner' },
  leaf_hosts_differ: { per: 'leaf', affects: 'listed_hosts', sources: TREES, title: 'Same leaf, different hosts' },
  root_children_differ: { per: 'leaf', affects: 'whole_leaf', sources: ['root', 'chairman'], title: "Root scheduler's children differ from the chairman's leaves" },
  agent_role_differs: { per: 'leaf', affects: 'whole_leaf', sources: ['zk.roles', 'agents'], title: "Owner's agent holds no role, or another leaf's" },
  agent_hosts_differ: { per: 'leaf', affects: 'listed_hosts', sources: ['zk.roles', 'agents'], title: "Owner's agent has other hosts than /roles" },
  host_address_differs: { per: 'host', affects: 'host', sources: ['zk.roles', 'chairman', 'zk.hosts'], title: 'Host with different addresses' },
  host_placement_differs: { per: 'host', affects: 'host', sources: TREES, title: 'Host placed in different leaves' },
  registered_not_placed: { per: 'host', affects: 'host', sources: ['zk.hosts', 'zk.roles'], title: 'Registered in /hosts but in no leaf' },
  placed_not_registered: { per: 'host', affects: 'host', sources: ['zk.roles', 'zk.hosts'], title: 'In a leaf but not registered in /hosts' },
  missing_but_placed: { per: 'host', affects: 'host', sources: ['zk.missing', 'zk.roles'], title: 'In /missing but still placed in a leaf' },
  missing_but_online: { per: 'host', affects: 'host', sources: ['zk.missing', 'status'], title: 'In /missing but answers its probe (false alarm?)' },
  offline_not_missing: { per: 'host', affects: 'host', sources: ['status', 'zk.missing'], title: 'OFFLINE but not in /missing (undetected failure?)' },
  service_no_leader: { per: 'service', affects: 'nothing', sources: ['zk.services'], title: 'Service without a leader' },
  service_several_members: { per: 'service', affects: 'nothing', sources: ['zk.services'], title: 'Service with several members' },
  node_error: { per: 'path', affects: 'nothing', sources: ['zk.services', 'zk.roles', 'zk.hosts'], title: 'Unreadable ZooKeeper node' },
} as const satisfies Record<string, DriftKindEntry>;

export type DriftKind = keyof typeof DRIFT_KIND_REGISTRY;

export const DRIFT_KINDS = Object.keys(DRIFT_KIND_REGISTRY) as DriftKind[];
