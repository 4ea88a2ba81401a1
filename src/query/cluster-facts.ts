// Every source's facts at one point in time, parsed and indexed for the
// cross-source checks (pure data). A fact change is applied in place, so a
// history can be walked forward one version at a time instead of re-reading
// each snapshot; `touched` collects what each change can affect.
import type {
  ChildValue,
  FactKind,
  LeafValue,
  MemberValue,
  NodeErrorValue,
  PlacementValue,
  RegistrationValue,
  StatusValue,
} from '../snapshot/fact.js';
import type { SourceName } from '../snapshot/source-name.js';
import type { AgentRoleValue } from '../snapshot/agent-facts.js';
import { serviceOfMember } from './service-leader.js';
import { pooled } from '../util/string-pool.js';

export interface TreeFacts {
  leaves: Map<string, LeafValue>;
  placements: Map<string, PlacementValue>;
  /** leaf id → hosts placed in it; derived from `placements` and kept in step with it. */
  leafHosts: Map<string, Set<string>>;
}

export interface ClusterFacts {
  /** zk.services: "<service>/<member>" → value */
  members: Map<string, MemberValue>;
  /** zk.roles */
  zk: TreeFacts;
  chairman: TreeFacts;
  /** zk.hosts: only what the checks compare */
  registrations: Map<string, Pick<RegistrationValue, 'address'>>;
  /** zk.missing */
  missing: Set<string>;
  /** root: the root scheduler's children, by leaf id */
  rootChildren: Map<string, ChildValue>;
  /** status: the probe verdict by host id, or ROOT */
  status: Map<string, Pick<StatusValue, 'status'>>;
  /** Unreadable ZooKeeper nodes, by path. */
  nodeErrors: Map<string, NodeErrorValue & { source: SourceName }>;
  /** agents: what each asked agent says it holds, by host id. */
  agents: Map<string, AgentRoleValue>;
}

/**
 * One version of one fact: its new value, or null when it stopped holding.
 * A registration needs only `address` and a status only `status` (readers
 * may project the stored value down to those).
 */
export interface FactChange {
  source: SourceName;
  kind: FactKind;
  entity: string;
  value: unknown;
}

/** The entities whose cross-source checks a set of changes may have changed. */
export interface Touched {
  hosts: Set<string>;
  leaves: Set<string>;
  services: Set<string>;
  paths: Set<string>;
}

export function emptyTouched(): Touched {
  return { hosts: new Set(), leaves: new Set(), services: new Set(), paths: new Set() };
}

function emptyTree(): TreeFacts {
  return { leaves: new Map(), placements: new Map(), leafHosts: new Map() };
}

export function emptyClusterFacts(): ClusterFacts {
  return {
    members: new Map(),
    zk: emptyTree(),
    chairman: emptyTree(),
    registrations: new Map(),
    missing: new Set(),
    rootChildren: new Map(),
    status: new Map(),
    nodeErrors: new Map(),
    agents: new Map(),
  };
}

function treeOf(facts: ClusterFacts, source: SourceName): TreeFacts | null {
  if (source === 'zk.roles') return facts.zk;
  if (source === 'chairman') return facts.chairman;
  return null;
}

function setOrDelete<V>(map: Map<string, V>, key: string, value: V | null): void {
  if (value === null) map.delete(key);
  else map.set(key, value);
}

function applyPlacement(tree: TreeFacts, host: string, value: PlacementValue | null, touched: Touched | undefined): void {
  const old = tree.placements.get(host);
  if (old) {
    touched?.leaves.add(old.leaf);
    const hosts = tree.leafHosts.get(old.leaf);
    hosts?.delete(host);
    if (hosts?.size === 0) tree.leafHosts.delete(old.leaf);
  }
  setOrDelete(tree.placements, host, value);
  touched?.hosts.add(host);
  if (!value) return;
  touched?.leaves.add(value.leaf);
  let hosts = tree.leafHosts.get(value.leaf);
  if (!hosts) tree.leafHosts.set(value.leaf, (hosts = new Set()));
  hosts.add(host);
}

/** Applies one version to `facts` (in place) and records what it can affect in `touched`, when given. */
export function applyFactChange(facts: ClusterFacts, change: FactChange, touched?: Touched): void {
  const { source, kind } = change;
  // Pooled: the daemon keeps these maps between ticks, each keyed by host id (util/string-pool.ts).
  const entity = pooled(change.entity);
  const value = change.value ?? null;
  switch (kind) {
    case 'member':
      setOrDelete(facts.members, entity, value as MemberValue | null);
      touched?.services.add(serviceOfMember(entity));
      return;
    case 'leaf': {
      const tree = treeOf(facts, source);
      if (!tree) return;
      setOrDelete(tree.leaves, entity, value as LeafValue | null);
      touched?.leaves.add(entity);
      return;
    }
    case 'placement': {
      const tree = treeOf(facts, source);
      if (tree) applyPlacement(tree, entity, value as PlacementValue | null, touched);
      return;
    }
    case 'registration':
      setOrDelete(facts.registrations, entity, value === null ? null : { address: (value as RegistrationValue).address });
      touched?.hosts.add(entity);
      return;
    case 'missing':
      if (value === null) facts.missing.delete(entity);
      else facts.missing.add(entity);
      touched?.hosts.add(entity);
      return;
    case 'child':
      setOrDelete(facts.rootChildren, entity, value as ChildValue | null);
      touched?.leaves.add(entity);
      return;
    case 'status':
      setOrDelete(facts.status, entity, value === null ? null : { status: (value as StatusValue).status });
      touched?.hosts.add(entity);
      return;
    case 'node_error':
      setOrDelete(facts.nodeErrors, entity, value === null ? null : { ...(value as NodeErrorValue), source });
      touched?.paths.add(entity);
      return;
    case 'agent_role':
      setOrDelete(facts.agents, entity, value as AgentRoleValue | null);
      touched?.hosts.add(entity);
      // The agent checks run per leaf: re-check the leaves /roles says it owns.
      if (touched) for (const [leaf, v] of facts.zk.leaves) if (v.owner === entity) touched.leaves.add(leaf);
      return;
    case 'drift':
      return; // derived from these facts, not one of them
  }
}

export function clusterFactsFrom(changes: Iterable<FactChange>): ClusterFacts {
  const facts = emptyClusterFacts();
  for (const c of changes) applyFactChange(facts, c);
  return facts;
}
