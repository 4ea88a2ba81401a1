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
import type { SourceName } from '../snapshot/source-name.js';
import type { SourceState } from '../store/read-source-state.js';
import type { SnapshotRow, SourceOutcome } from '../store/snapshot-index.js';
import { byKind, entitiesOf, rootChildrenFromFacts, servicesFromFacts, treeFromFacts, type ServiceMembersView } from './tree-from-facts.js';

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
}

/** The views an overview may leave out when nobody will look at them (`show` prints the ZooKeeper tree by default). */
export interface OverviewParts {
  chairman: boolean;
  root: boolean;
}

export const ALL_PARTS: OverviewParts = { chairman: true, root: true };

/**
 * What `show` prints and the report draws: the outcomes, services, both trees
 * annotated with status, missing and registration, the root scheduler's
 * children, and each node's probe verdict; not the HostConfigs, nor the
 * probes' addresses and messages.
 */
export interface SnapshotOverview extends SnapshotCommon {
  /** null: left out (OverviewParts) */
  chairmanTree: Known<TreeView> | null;
  rootChildren: Known<RootChild[]> | null;
  /** node id (host id, or ROOT) → probe verdict */
  verdicts: Known<Record<string, NodeStatus>>;
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

function annotate(
  tree: SchedulerTree,
  status: ReadonlyMap<string, StatusSummary>,
  missing: ReadonlySet<string>,
  registered: { has(id: string): boolean },
): TreeView {
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

/** Probe results as stored in the states given: whole, or summarized (src/snapshot/fact-summary.ts). */
function statusOf(states: SourcesInSnapshot): Map<string, StatusSummary> {
  return byKind<StatusSummary>(states.status.facts, 'status');
}

/** The common part of every view, and a builder for the other tree with the same annotations. */
function common(snapshot: SnapshotRow, outcomes: SourceOutcome[], states: SourcesInSnapshot, status: ReadonlyMap<string, StatusSummary>) {
  const services = servicesFromFacts(states['zk.services'].facts, SERVICES);
  const rootAddress = services.find((s) => s.service === 'root-scheduler')?.leader ?? null;
  const missing = [...byKind<true>(states['zk.missing'].facts, 'missing').keys()].sort();
  const missingSet = new Set(missing);
  const registered = entitiesOf(states['zk.hosts'].facts, 'registration');
  const tree = (source: 'zk.roles' | 'chairman') =>
    known(states[source], annotate(treeFromFacts(states[source].facts, rootAddress), status, missingSet, registered));
  const nodeErrors = (['zk.services', 'zk.roles', 'zk.hosts'] as const).flatMap((s) =>
    [...byKind<NodeErrorValue>(states[s].facts, 'node_error')].map(([path, v]) => ({ path, ...v })),
  );
  const view: SnapshotCommon = {
    snapshot,
    outcomes,
    services: known(states['zk.services'], services),
    zkTree: tree('zk.roles'),
    missing: known(states['zk.missing'], missing),
    nodeErrors,
  };
  return { view, chairmanTree: () => tree('chairman') };
}

const rootChildren = (states: SourcesInSnapshot) => known(states.root, rootChildrenFromFacts(states.root.facts));

/** The overview of one snapshot; `states` may hold summaries, and nothing of the parts left out. */
export function snapshotOverview(
  snapshot: SnapshotRow,
  outcomes: SourceOutcome[],
  states: SourcesInSnapshot,
  parts: OverviewParts = ALL_PARTS,
): SnapshotOverview {
  const status = statusOf(states);
  const { view, chairmanTree } = common(snapshot, outcomes, states, status);
  const verdicts: Record<string, NodeStatus> = {};
  for (const [node, v] of status) verdicts[node] = v.status;
  return {
    ...view,
    chairmanTree: parts.chairman ? chairmanTree() : null,
    rootChildren: parts.root ? rootChildren(states) : null,
    verdicts: known(states.status, verdicts),
  };
}

/** The whole snapshot; `states` must hold whole facts, not summaries. */
export function snapshotView(snapshot: SnapshotRow, outcomes: SourceOutcome[], states: SourcesInSnapshot): SnapshotView {
  const status = statusOf(states) as Map<string, StatusValue>;
  const { view, chairmanTree } = common(snapshot, outcomes, states, status);
  const regs = [...byKind<RegistrationValue>(states['zk.hosts'].facts, 'registration')]
    .map(([id, v]) => ({ id, ...v }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    ...view,
    chairmanTree: chairmanTree(),
    rootChildren: rootChildren(states),
    registrations: known(states['zk.hosts'], regs),
    status: known(states.status, Object.fromEntries(status)),
  };
}
