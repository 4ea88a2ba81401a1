// One snapshot as users see it (pure): per-source outcome, the ZooKeeper and
// chairman trees annotated with status, missing and registration, the root
// scheduler's children, and service leaders. Two depths: the overview (what
// `show` prints and the report draws; built from summarized facts, parts
// nobody will print left out) and the whole view (`show --json`).
import type { HostRegistration } from '../model/host-config.js';
import type { Endpoint } from '../model/ids.js';
import type { NodeStatus } from '../model/status.js';
import type { RootChild, SchedulerTree } from '../model/tree.js';
import type { NodeErrorValue, RegistrationValue, StatusValue } from '../snapshot/fact.js';
import type { StatusSummary } from '../snapshot/fact-summary.js';
import type { AgentRoleValue } from '../snapshot/agent-facts.js';
import type { SourceName } from '../snapshot/source-name.js';
import type { SnapshotRow, SourceOutcome, SourceState } from '../store/index.js';
import { byKind, entitiesOf, firstLeaves, rootChildrenFromFacts, servicesFromFacts, type ServiceMembersView } from './tree-from-facts.js';

/** One source in one snapshot: its outcome there and its facts as of then. */
export interface SourceInSnapshot {
  outcome: SourceOutcome | null;
  facts: SourceState;
  /** When the source failed in this snapshot: the snapshot its facts were last read in. */
  lastOkSnapshot: number | null;
}

export type SourcesInSnapshot = Record<SourceName, SourceInSnapshot>;

export interface HostView {
  id: string;
  address: Endpoint | null;
  status: NodeStatus | null;
  missing: boolean;
  registered: boolean;
}

export interface LeafView {
  id: string;
  owner: string | null;
  address: Endpoint | null;
  hosts: HostView[];
}

export interface TreeView {
  rootAddress: Endpoint | null;
  rootStatus: NodeStatus | null;
  leaves: LeafView[];
}

/** A tree's first leaves (OverviewParts.leafLimit), and how many more it has. */
export interface TreeExcerpt extends TreeView {
  leavesLeftOut: number;
}

export interface Known<T> {
  /** false: the source failed in this snapshot; `value` is then its last known state, if any. */
  known: boolean;
  error: { kind: string; message: string } | null;
  lastOkSnapshot: number | null;
  value: T;
}

/** What every view of a snapshot holds. */
interface SnapshotCommon {
  snapshot: SnapshotRow;
  outcomes: SourceOutcome[];
  services: Known<ServiceMembersView[]>;
  zkTree: Known<TreeView>;
  missing: Known<string[]>;
  nodeErrors: { path: string; kind: string; message: string }[];
  /** The agents source: what each agent asked says it holds, by host id (its answer, or why it had none). */
  agents: Known<Record<string, AgentRoleValue>>;
}

/** The views an overview may leave out when nobody will look at them (`show` prints the ZooKeeper tree by default). */
export interface OverviewParts {
  chairman: boolean;
  root: boolean;
  /** Every node's probe verdict (the report's); the trees carry their hosts' verdicts either way. */
  verdicts: boolean;
  /** Every agent's role (`show --source agents`, the report); otherwise only those of the owners of the leaves kept, which the tree marks. */
  agents: boolean;
  /** Each tree's first leaves by id (`show` prints 50 unless --all); the rest are only counted. */
  leafLimit: number;
}

export const ALL_PARTS: OverviewParts = { chairman: true, root: true, verdicts: true, agents: true, leafLimit: Infinity };

/**
 * What `show` prints and the report draws: the outcomes, services, both trees
 * annotated with status, missing and registration, the root scheduler's
 * children, and each node's probe verdict; not the HostConfigs, nor the
 * probes' addresses and messages.
 */
export interface SnapshotOverview extends SnapshotCommon {
  zkTree: Known<TreeExcerpt>;
  /** null: left out (OverviewParts) */
  chairmanTree: Known<TreeExcerpt> | null;
  rootChildren: Known<RootChild[]> | null;
  /** node id (host id, or ROOT) → probe verdict; null: left out (OverviewParts) */
  verdicts: Known<Record<string, NodeStatus>> | null;
}

/** Everything one snapshot holds (`show --json`). */
export interface SnapshotView extends SnapshotCommon {
  chairmanTree: Known<TreeView>;
  rootChildren: Known<RootChild[]>;
  registrations: Known<HostRegistration[]>;
  status: Known<Record<string, StatusValue>>;
}

function known<T>(state: SourceInSnapshot, value: T): Known<T> {
  const o = state.outcome;
  const ok = o?.ok ?? false;
  return {
    known: ok,
    error: ok ? null : o ? { kind: o.errorKind ?? 'unknown', message: o.errorMessage ?? '' } : { kind: 'not_collected', message: 'not collected in this snapshot' },
    lastOkSnapshot: ok ? null : state.lastOkSnapshot,
    value,
  };
}

/** A node's probe verdict, or null when it was not probed. */
type VerdictOf = (node: string) => NodeStatus | null;

function annotate(
  { tree, leftOut }: { tree: SchedulerTree; leftOut: number },
  verdictOf: VerdictOf,
  missing: ReadonlySet<string>,
  registered: { has(id: string): boolean },
): TreeExcerpt {
  return {
    rootAddress: tree.rootAddress,
    rootStatus: verdictOf('ROOT'),
    leaves: tree.leaves.map((l) => ({
      id: l.id,
      owner: l.owner,
      address: l.address,
      hosts: l.hosts.map((h) => ({
        id: h.id,
        address: h.address,
        status: verdictOf(h.id),
        missing: missing.has(h.id),
        registered: registered.has(h.id),
      })),
    })),
    leavesLeftOut: leftOut,
  };
}

export const SERVICES = ['chairman', 'root-scheduler'] as const;

/** Probe results as stored in the states given: whole, or summarized (src/snapshot/fact-summary.ts). */
function statusOf(states: SourcesInSnapshot): Map<string, StatusSummary> {
  return byKind<StatusSummary>(states.status.facts, 'status');
}

/** Verdicts read only for the nodes asked about: a tree excerpt holds a fraction of them. */
function lazyVerdicts(states: SourcesInSnapshot): VerdictOf {
  return (node) => {
    const value = states.status.facts.get('status', node);
    return value === undefined ? null : (JSON.parse(value) as StatusSummary).status;
  };
}

/** The common part of every view, and a builder for the other tree with the same annotations. */
function common(snapshot: SnapshotRow, outcomes: SourceOutcome[], states: SourcesInSnapshot, verdictOf: VerdictOf, leafLimit = Infinity, allAgents = true) {
  const services = servicesFromFacts(states['zk.services'].facts, SERVICES);
  const rootAddress = services.find((s) => s.service === 'root-scheduler')?.leader ?? null;
  const missing = [...byKind<true>(states['zk.missing'].facts, 'missing').keys()].sort();
  const missingSet = new Set(missing);
  const registered = entitiesOf(states['zk.hosts'].facts, 'registration');
  const tree = (source: 'zk.roles' | 'chairman') =>
    known(states[source], annotate(firstLeaves(states[source].facts, rootAddress, leafLimit), verdictOf, missingSet, registered));
  const nodeErrors = (['zk.services', 'zk.roles', 'zk.hosts'] as const).flatMap((s) =>
    [...byKind<NodeErrorValue>(states[s].facts, 'node_error')].map(([path, v]) => ({ path, ...v })),
  );
  const zkTree = tree('zk.roles');
  const view = {
    snapshot,
    outcomes,
    services: known(states['zk.services'], services),
    zkTree,
    missing: known(states['zk.missing'], missing),
    nodeErrors,
    agents: known(states.agents, agentRoles(states.agents.facts, allAgents ? null : zkTree.value)),
  };
  return { view, chairmanTree: () => tree('chairman') };
}

/** The agents' roles by agent: every agent's, or only those of the owners of `tree`'s leaves (what the tree marks). */
function agentRoles(facts: SourceState, tree: TreeExcerpt | null): Record<string, AgentRoleValue> {
  const agents = tree ? new Set(tree.leaves.flatMap((l) => (l.owner === null ? [] : [l.owner]))) : facts.entities('agent_role');
  const roles: [string, AgentRoleValue][] = [];
  for (const agent of agents) {
    const value = facts.get('agent_role', agent);
    if (value !== undefined) roles.push([agent, JSON.parse(value) as AgentRoleValue]);
  }
  return Object.fromEntries(roles.sort(([a], [b]) => (a < b ? -1 : 1)));
}

const rootChildren = (states: SourcesInSnapshot) => known(states.root, rootChildrenFromFacts(states.root.facts));

function allVerdicts(states: SourcesInSnapshot): Record<string, NodeStatus> {
  const verdicts: Record<string, NodeStatus> = {};
  for (const [node, v] of statusOf(states)) verdicts[node] = v.status;
  return verdicts;
}

/** The overview of one snapshot; `states` may hold summaries, and nothing of the parts left out. */
export function snapshotOverview(
  snapshot: SnapshotRow,
  outcomes: SourceOutcome[],
  states: SourcesInSnapshot,
  parts: OverviewParts = ALL_PARTS,
): SnapshotOverview {
  const { view, chairmanTree } = common(snapshot, outcomes, states, lazyVerdicts(states), parts.leafLimit, parts.agents);
  return {
    ...view,
    chairmanTree: parts.chairman ? chairmanTree() : null,
    rootChildren: parts.root ? rootChildren(states) : null,
    verdicts: parts.verdicts ? known(states.status, allVerdicts(states)) : null,
  };
}

/** A tree built with no leaf limit, without the count of leaves left out (always 0). */
function wholeTree({ value: { leavesLeftOut, ...tree }, ...rest }: Known<TreeExcerpt>): Known<TreeView> {
  return { ...rest, value: tree };
}

/** The whole snapshot; `states` must hold whole facts, not summaries. */
export function snapshotView(snapshot: SnapshotRow, outcomes: SourceOutcome[], states: SourcesInSnapshot): SnapshotView {
  const status = statusOf(states) as Map<string, StatusValue>;
  const { view, chairmanTree } = common(snapshot, outcomes, states, (node) => status.get(node)?.status ?? null);
  const regs = [...byKind<RegistrationValue>(states['zk.hosts'].facts, 'registration')]
    .map(([id, v]) => ({ id, ...v }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    ...view,
    zkTree: wholeTree(view.zkTree),
    chairmanTree: wholeTree(chairmanTree()),
    rootChildren: rootChildren(states),
    registrations: known(states['zk.hosts'], regs),
    status: known(states.status, Object.fromEntries(status)),
  };
}
