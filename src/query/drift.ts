// Disagreements between sources within one snapshot (pure). Each check looks
// at one entity (a leaf, a host, a service, a ZooKeeper path) and names the
// sources it compares. An item whose sources were all read in the snapshot is
// drift; one involving a source that was unknown there is only "cannot
// compare": its facts are stale, so it proves nothing either way.
import { ROOT_SCHEDULER_ID, type Endpoint } from '../model/ids.js';
import { leaderOf } from '../model/leader.js';
import type { SourceName } from '../snapshot/source-name.js';
import type { ClusterFacts, TreeFacts } from './cluster-facts.js';
import { serviceMembers, serviceNames } from './service-leader.js';
import { SERVICES } from './snapshot-view.js';
import { DRIFT_KIND_REGISTRY, DRIFT_KINDS, type CheckedPer, type DriftKind } from './drift-kinds.js';
import type { Knowledge } from './source-knowledge.js';
import { isAgentUnknown } from '../snapshot/agent-facts.js';

export { DRIFT_KINDS, type DriftKind } from './drift-kinds.js';

export interface DriftItem {
  kind: DriftKind;
  /** What the item is about: a leaf id, a host id, a service name or a ZooKeeper path. */
  ids: string[];
  /** The sources the check compares; if any was unknown in the snapshot the item is "cannot compare". */
  sources: SourceName[];
  /**
   * What each compared source says (null: it does not have the thing at all).
   * A side `{unknown: {kind, message}}` is a part of a read source that was
   * not read in the snapshot (one agent that did not answer): the item is
   * "cannot compare", like one whose whole source was unknown.
   */
  sides: Partial<Record<SourceName, unknown>>;
}

export interface CannotCompareItem extends DriftItem {
  unknownSources: SourceName[];
}

export interface DriftResult {
  drift: DriftItem[];
  cannotCompare: CannotCompareItem[];
}

/** What a check is about: the entities it is computed per. */
export interface DriftScope {
  hosts: Iterable<string>;
  leaves: Iterable<string>;
  services: Iterable<string>;
  paths: Iterable<string>;
}

/** An item of a fixed-source kind about one entity (or a leaf and its owner): its sources are the registry's. */
function item(kind: Exclude<DriftKind, 'node_error'>, id: string | string[], sides: DriftItem['sides']): DriftItem {
  return { kind, ids: typeof id === 'string' ? [id] : id, sources: [...DRIFT_KIND_REGISTRY[kind].sources], sides };
}

/** A side that was not read in its snapshot although its source was (see DriftItem.sides). */
export function isUnknownSide(side: unknown): boolean {
  return typeof side === 'object' && side !== null && 'unknown' in side;
}

export function driftKey(item: Pick<DriftItem, 'kind' | 'ids'>): string {
  return `${item.kind}:${item.ids.join(',')}`;
}

function ref(checked: CheckedPer, id: string): string {
  return `${checked}\u0000${id}`;
}

/** The entity whose check finds `item`, as driftItemsByEntity names it. */
export function driftRef(item: Pick<DriftItem, 'kind' | 'ids'>): string {
  return ref(DRIFT_KIND_REGISTRY[item.kind].per, item.ids[0]!);
}

function sameEndpoint(a: Endpoint | null, b: Endpoint | null): boolean {
  return a === b || (a !== null && b !== null && a.host === b.host && a.port === b.port);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

interface LeafSide {
  owner: string | null;
  address: Endpoint | null;
  hosts: string[];
}

/** A leaf exists in a tree source when it has a leaf fact or a host placed in it. */
function leafIn(tree: TreeFacts, id: string): LeafSide | null {
  const leaf = tree.leaves.get(id);
  const hosts = tree.leafHosts.get(id);
  if (!leaf && !hosts) return null;
  return { owner: leaf?.owner ?? null, address: leaf?.address ?? null, hosts: [...(hosts ?? [])].sort() };
}

function leafChecks(f: ClusterFacts, id: string): DriftItem[] {
  const out: DriftItem[] = [];
  const zk = leafIn(f.zk, id);
  const ch = leafIn(f.chairman, id);
  if (zk || ch) {
    if (!zk || !ch) {
      out.push(item('leaf_in_one_source', id, { 'zk.roles': zk, chairman: ch }));
    } else {
      if (zk.owner !== ch.owner) {
        out.push(item('leaf_owner_differs', id, { 'zk.roles': zk.owner, chairman: ch.owner }));
      }
      if (!sameList(zk.hosts, ch.hosts)) {
        out.push(item('leaf_hosts_differ', id, { 'zk.roles': zk.hosts, chairman: ch.hosts }));
      }
    }
  }
  const child = f.rootChildren.get(id) ?? null;
  if (child || ch) {
    const differs = !child || !ch || child.owner !== ch.owner || !sameEndpoint(child.address, ch.address);
    if (differs) {
      out.push(
        item('root_children_differ', id, {
          root: child && { owner: child.owner, address: child.address },
          chairman: ch && { owner: ch.owner, address: ch.address },
        }),
      );
    }
  }
  return [...out, ...agentChecks(f, id)];
}

/** Does the leaf's owner, by /roles, hold that leaf by its own agent's word, with the same hosts? */
function agentChecks(f: ClusterFacts, id: string): DriftItem[] {
  const owner = f.zk.leaves.get(id)?.owner;
  const view = owner ? f.agents.get(owner) : undefined;
  if (!owner || !view) return []; // no owner, or its agent was not asked
  const ids = [id, owner];
  if (isAgentUnknown(view)) return [item('agent_role_differs', ids, { 'zk.roles': id, agents: view })];
  if (view.leaf !== id) return [item('agent_role_differs', ids, { 'zk.roles': id, agents: view.leaf })];
  const zkHosts = [...(f.zk.leafHosts.get(id) ?? [])].sort();
  if (sameList(zkHosts, view.hosts)) return [];
  return [item('agent_hosts_differ', ids, { 'zk.roles': zkHosts, agents: view.hosts })];
}

function addressChecks(f: ClusterFacts, id: string): DriftItem[] {
  const zk = f.zk.placements.get(id)?.address ?? null;
  const ch = f.chairman.placements.get(id)?.address ?? null;
  const reg = f.registrations.get(id)?.address ?? null;
  // The common case, checked without allocating: every address any source has agrees.
  const first = zk ?? ch ?? reg;
  if ([zk, ch, reg].every((ep) => ep === null || sameEndpoint(ep, first))) return [];
  const sides: Partial<Record<SourceName, Endpoint>> = {};
  if (zk) sides['zk.roles'] = zk;
  if (ch) sides.chairman = ch;
  if (reg) sides['zk.hosts'] = reg;
  return [item('host_address_differs', id, sides)];
}

function hostChecks(f: ClusterFacts, id: string): DriftItem[] {
  if (id === ROOT_SCHEDULER_ID) return [];
  const out = addressChecks(f, id);
  const placed = f.zk.placements.get(id);
  const chairmanLeaf = f.chairman.placements.get(id)?.leaf ?? null;
  if ((placed?.leaf ?? null) !== chairmanLeaf) {
    out.push(item('host_placement_differs', id, { 'zk.roles': placed?.leaf ?? null, chairman: chairmanLeaf }));
  }
  const reg = f.registrations.get(id);
  const missing = f.missing.has(id);
  const status = f.status.get(id)?.status ?? null;
  if (reg && !placed) {
    out.push(item('registered_not_placed', id, { 'zk.hosts': { address: reg.address }, 'zk.roles': null }));
  }
  if (placed && !reg) {
    out.push(item('placed_not_registered', id, { 'zk.roles': { leaf: placed.leaf }, 'zk.hosts': null }));
  }
  if (missing && placed) {
    out.push(item('missing_but_placed', id, { 'zk.missing': true, 'zk.roles': { leaf: placed.leaf } }));
  }
  // Only ONLINE counts as answering: ERROR means the peer misbehaved, which /missing may rightly report.
  if (missing && status === 'ONLINE') {
    out.push(item('missing_but_online', id, { 'zk.missing': true, status }));
  }
  if (!missing && status === 'OFFLINE') {
    out.push(item('offline_not_missing', id, { status, 'zk.missing': false }));
  }
  return out;
}

function serviceChecks(f: ClusterFacts, service: string): DriftItem[] {
  const members = serviceMembers(f.members, service);
  const sides = { 'zk.services': { members } };
  if (members.length > 1) return [item('service_several_members', service, sides)];
  if (!leaderOf(members)?.address) {
    return [item('service_no_leader', service, sides)];
  }
  return [];
}

function pathChecks(f: ClusterFacts, path: string): DriftItem[] {
  const e = f.nodeErrors.get(path);
  if (!e) return [];
  return [{ kind: 'node_error', ids: [path], sources: [e.source], sides: { [e.source]: { kind: e.kind, message: e.message } } }];
}

/** Every entity any source names: the scope of a full check. */
export function fullScope(f: ClusterFacts): DriftScope {
  const hosts = new Set<string>([...f.registrations.keys(), ...f.missing, ...f.status.keys()]);
  const leaves = new Set<string>(f.rootChildren.keys());
  for (const t of [f.zk, f.chairman]) {
    for (const h of t.placements.keys()) hosts.add(h);
    for (const l of t.leaves.keys()) leaves.add(l);
    for (const l of t.leafHosts.keys()) leaves.add(l);
  }
  return { hosts, leaves, services: serviceNames(f.members, SERVICES), paths: f.nodeErrors.keys() };
}

/** Calls `emit` with each checked entity (a reference like "host\0h1") and its items, possibly none. */
function checkScope(f: ClusterFacts, scope: DriftScope, emit: (ref: string, items: DriftItem[]) => void): void {
  for (const id of scope.leaves) emit(ref('leaf', id), leafChecks(f, id));
  for (const id of scope.hosts) emit(ref('host', id), hostChecks(f, id));
  for (const s of scope.services) emit(ref('service', s), serviceChecks(f, s));
  for (const p of scope.paths) emit(ref('path', p), pathChecks(f, p));
}

/** Entity reference → the raw items of its checks (an empty list: checked, nothing found). */
export function driftItemsByEntity(f: ClusterFacts, scope: DriftScope): Map<string, DriftItem[]> {
  const out = new Map<string, DriftItem[]>();
  checkScope(f, scope, (ref, items) => out.set(ref, items));
  return out;
}

const KIND_ORDER = new Map<DriftKind, number>(DRIFT_KINDS.map((k, i) => [k, i]));

export function compareDriftItems(a: DriftItem, b: DriftItem): number {
  const k = KIND_ORDER.get(a.kind)! - KIND_ORDER.get(b.kind)!;
  if (k) return k;
  const ia = a.ids.join(',');
  const ib = b.ids.join(',');
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

/** The sources of `item` that were not read in the snapshot. */
export function unknownOf(item: DriftItem, knowledge: Knowledge): SourceName[] {
  return item.sources.filter((s) => !knowledge[s].known || isUnknownSide(item.sides[s]));
}

export function classifyDrift(items: Iterable<DriftItem>, knowledge: Knowledge): DriftResult {
  const drift: DriftItem[] = [];
  const cannotCompare: CannotCompareItem[] = [];
  for (const item of items) {
    const unknown = unknownOf(item, knowledge);
    if (unknown.length) cannotCompare.push({ ...item, unknownSources: unknown });
    else drift.push(item);
  }
  return { drift: drift.sort(compareDriftItems), cannotCompare: cannotCompare.sort(compareDriftItems) };
}

/** Every item the checks find in `f`, before classification. */
export function driftItems(f: ClusterFacts): DriftItem[] {
  const items: DriftItem[] = [];
  checkScope(f, fullScope(f), (_ref, found) => {
    for (const i of found) items.push(i);
  });
  return items;
}

export function computeDrift(f: ClusterFacts, knowledge: Knowledge): DriftResult {
  return classifyDrift(driftItems(f), knowledge);
}

/** The sources an item of `kind` compares: fixed per kind, but for node errors the one that reports it. */
export function driftSources(kind: DriftKind, sides: DriftItem['sides']): SourceName[] {
  return kind === 'node_error' ? (Object.keys(sides) as SourceName[]) : [...DRIFT_KIND_REGISTRY[kind].sources];
}

export interface DriftCheck {
  kind: DriftKind;
  sources: SourceName[];
  /** Non-empty: (that part of) the check could not be made in this snapshot. */
  unknownSources: SourceName[];
}

export function driftChecks(knowledge: Knowledge): DriftCheck[] {
  return DRIFT_KINDS.map((kind) => {
    const sources = [...DRIFT_KIND_REGISTRY[kind].sources];
    return { kind, sources, unknownSources: sources.filter((s) => !knowledge[s].known) };
  });
}
