// One snapshot as users see it (pure): per-source outcome, the ZooKeeper and
// chairman trees annotated with status, missing and registration, the root
// scheduler's children, and service leaders.
import type { HostRegistration } from '../model/host-config.js';
import type { Endpoint } from '../model/ids.js';
import type { NodeStatus } from '../model/status.js';
import type { RootChild, SchedulerTree } from '../model/tree.js';
import type { NodeErrorValue, RegistrationValue, StatusValue } from '../snapshot/fact.js';
import type { StatusSummary } from '../snapshot/fact-summary.js';
import type { SourceName } from '../snapshot/source-name.js';
import type { StoredFact } from '../store/read-source-state.js';
import type { SnapshotRow, SourceOutcome } from '../store/snapshot-index.js';
import { byKind, rootChildrenFromFacts, servicesFromFacts, treeFromFacts, type ServiceMembersView } from './tree-from-facts.js';

export interface SourceState {
  outcome: SourceOutcome | null;
  facts: StoredFact[];
  /** When the source failed in this snapshot: the snapshot its facts were last read in. */
  lastOkSnapshot: number | null;
}

export type SourceStates = Record<SourceName, SourceState>;

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

export interface Known<T> {
  /** false: the source failed in this snapshot; `value` is then its last known state, if any. */
  known: boolean;
  error: { kind: string; message: string } | null;
  lastOkSnapshot: number | null;
  value: T;
}

interface SnapshotTrees {
  snapshot: SnapshotRow;
  outcomes: SourceOutcome[];
  services: Known<ServiceMembersView[]>;
  zkTree: Known<TreeView>;
  chairmanTree: Known<TreeView>;
  rootChildren: Known<RootChild[]>;
  missing: Known<string[]>;
  nodeErrors: { path: string; kind: string; message: string }[];
}

/**
 * What `show` prints and the report draws: the outcomes, services, both trees
 * annotated with status, missing and registration, the root scheduler's
 * children, and each node's probe verdict; not the HostConfigs, nor the
 * probes' addresses and messages.
 */
export interface SnapshotOverview extends SnapshotTrees {
  /** node id (host id, or ROOT) → probe verdict */
  verdicts: Known<Record<string, NodeStatus>>;
}

/** Everything one snapshot holds (`show --json`). */
export interface SnapshotView extends SnapshotTrees {
  registrations: Known<HostRegistration[]>;
  status: Known<Record<string, StatusValue>>;
}

function known<T>(state: SourceState, value: T): Known<T> {
  const o = state.outcome;
  const ok = o?.ok ?? false;
  return {
    known: ok,
    error: ok ? null : o ? { kind: o.errorKind ?? 'unknown', message: o.errorMessage ?? '' } : { kind: 'not_collected', message: 'not collected in this snapshot' },
    lastOkSnapshot: ok ? null : state.lastOkSnapshot,
    value,
  };
}

function annotate(tree: SchedulerTree, status: Map<string, StatusSummary>, missing: Set<string>, registered: Set<string>): TreeView {
  return {
    rootAddress: tree.rootAddress,
    rootStatus: status.get('ROOT')?.status ?? null,
    leaves: tree.leaves.map((l) => ({
      id: l.id,
      owner: l.owner,
      address: l.address,
      hosts: l.hosts.map((h) => ({
        id: h.id,
        address: h.address,
        status: status.get(h.id)?.status ?? null,
        missing: missing.has(h.id),
        registered: registered.has(h.id),
      })),
    })),
  };
}

export const SERVICES = ['chairman', 'root-scheduler'] as const;

/** Registrations and statuses as stored in the states given: whole, or summarized (src/snapshot/fact-summary.ts). */
interface Parsed {
  status: Map<string, StatusSummary>;
  registrations: Map<string, unknown>;
}

function parse(states: SourceStates): Parsed {
  return {
    status: byKind<StatusSummary>(states.status.facts, 'status'),
    registrations: byKind<unknown>(states['zk.hosts'].facts, 'registration'),
  };
}

function trees(snapshot: SnapshotRow, outcomes: SourceOutcome[], states: SourceStates, parsed: Parsed): SnapshotTrees {
  const services = servicesFromFacts(states['zk.services'].facts, SERVICES);
  const rootAddress = services.find((s) => s.service === 'root-scheduler')?.leader ?? null;
  const missing = [...byKind<true>(states['zk.missing'].facts, 'missing').keys()].sort();
  const missingSet = new Set(missing);
  const registered = new Set(parsed.registrations.keys());
  const tree = (source: 'zk.roles' | 'chairman') =>
    annotate(treeFromFacts(states[source].facts, rootAddress), parsed.status, missingSet, registered);
  const nodeErrors = (['zk.services', 'zk.roles', 'zk.hosts'] as const).flatMap((s) =>
    [...byKind<NodeErrorValue>(states[s].facts, 'node_error')].map(([path, v]) => ({ path, ...v })),
  );
  return {
    snapshot,
    outcomes,
    services: known(states['zk.services'], services),
    zkTree: known(states['zk.roles'], tree('zk.roles')),
    chairmanTree: known(states.chairman, tree('chairman')),
    rootChildren: known(states.root, rootChildrenFromFacts(states.root.facts)),
    missing: known(states['zk.missing'], missing),
    nodeErrors,
  };
}

/** The overview of one snapshot; `states` may hold summaries. */
export function snapshotOverview(snapshot: SnapshotRow, outcomes: SourceOutcome[], states: SourceStates): SnapshotOverview {
  const parsed = parse(states);
  const verdicts: Record<string, NodeStatus> = {};
  for (const [node, v] of parsed.status) verdicts[node] = v.status;
  return { ...trees(snapshot, outcomes, states, parsed), verdicts: known(states.status, verdicts) };
}

/** The whole snapshot; `states` must hold whole facts, not summaries. */
export function snapshotView(snapshot: SnapshotRow, outcomes: SourceOutcome[], states: SourceStates): SnapshotView {
  const parsed = parse(states);
  const regs = [...(parsed.registrations as Map<string, RegistrationValue>)]
    .map(([id, v]) => ({ id, ...v }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    ...trees(snapshot, outcomes, states, parsed),
    registrations: known(states['zk.hosts'], regs),
    status: known(states.status, Object.fromEntries(parsed.status as Map<string, StatusValue>)),
  };
}
