// Disagreements between sources within one snapshot (pure). Each check looks
// at one entity (a leaf, a host, a service, a ZooKeeper path) and names the
// sources it compares. An item whose sources were all read in the snapshot is
// drift; one involving a source that was unknown there is only "cannot
// compare": its facts are stale, so it proves nothing either way.
import { ROOT_SCHEDULER_ID, type Endpoint } from '../model/ids.js';
import type { SourceName } from '../snapshot/source-name.js';
import type { ClusterFacts, TreeFacts } from './cluster-facts.js';
import { serviceMembers, serviceNames } from './service-leader.js';
import { SERVICES } from './snapshot-view.js';
import type { Knowledge } from './source-knowledge.js';

export const DRIFT_KINDS = [
  'leaf_in_one_source',
  'leaf_owner_differs',
  'leaf_hosts_differ',
  'root_children_differ',
  'host_address_differs',
  'registered_not_placed',
  'placed_not_registered',
  'missing_but_placed',
  'missing_but_online',
  'offline_not_missing',
  'service_no_leader',
  'service_several_members',
  'node_error',
] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

export interface DriftItem {
  kind: DriftKind;
  /** What the item is about: a leaf id, a host id, a service name or a ZooKeeper path. */
  ids: string[];
  /** The sources the check compares; if any was unknown in the snapshot the item is "cannot compare". */
  sources: SourceName[];
  /** What each compared source says (null: it does not have the thing at all). */
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

const TREES = ['zk.roles', 'chairman'] as const satisfies SourceName[];

export function driftKey(item: Pick<DriftItem, 'kind' | 'ids'>): string {
  return `${item.kind}:${item.ids.join(',')}`;
}

type Checked = 'leaf' | 'host' | 'service' | 'path';

/** What each kind of check is computed per. */
const CHECKED_PER: Record<DriftKind, Checked> = {
  leaf_in_one_source: 'leaf',
  leaf_owner_differs: 'leaf',
  leaf_hosts_differ: 'leaf',
  root_children_differ: 'leaf',
  host_address_differs: 'host',
  registered_not_placed: 'host',
  placed_not_registered: 'host',
  missing_but_placed: 'host',
  missing_but_online: 'host',
  offline_not_missing: 'host',
  service_no_leader: 'service',
  service_several_members: 'service',
  node_error: 'path',
};

function ref(checked: Checked, id: string): string {
  return `${checked}\u0000${id}`;
}

/** The entity whose check finds `item`, as driftItemsByEntity names it. */
export function driftRef(item: Pick<DriftItem, 'kind' | 'ids'>): string {
  return ref(CHECKED_PER[item.kind], item.ids[0]!);
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
      out.push({ kind: 'leaf_in_one_source', ids: [id], sources: [...TREES], sides: { 'zk.roles': zk, chairman: ch } });
    } else {
      if (zk.owner !== ch.owner) {
        out.push({ kind: 'leaf_owner_differs', ids: [id], sources: [...TREES], sides: { 'zk.roles': zk.owner, chairman: ch.owner } });
      }
      if (!sameList(zk.hosts, ch.hosts)) {
        out.push({ kind: 'leaf_hosts_differ', ids: [id], sources: [...TREES], sides: { 'zk.roles': zk.hosts, chairman: ch.hosts } });
      }
    }
  }
  const child = f.rootChildren.get(id) ?? null;
  if (child || ch) {
    const differs = !child || !ch || child.owner !== ch.owner || !sameEndpoint(child.address, ch.address);
    if (differs) {
      out.push({
        kind: 'root_children_differ',
        ids: [id],
        sources: ['root', 'chairman'],
        sides: {
          root: child && { owner: child.owner, address: child.address },
          chairman: ch && { owner: ch.owner, address: ch.address },
        },
      });
    }
  }
  return out;
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
  return [{ kind: 'host_address_differs', ids: [id], sources: ['zk.roles', 'chairman', 'zk.hosts'], sides }];
}

function hostChecks(f: ClusterFacts, id: string): DriftItem[] {
  if (id === ROOT_SCHEDULER_ID) return [];
  const out = addressChecks(f, id);
  const placed = f.zk.placements.get(id);
  const reg = f.registrations.get(id);
  const missing = f.missing.has(id);
  const status = f.status.get(id)?.status ?? null;
  if (reg && !placed) {
    out.push({ kind: 'registered_not_placed', ids: [id], sources: ['zk.hosts', 'zk.roles'], sides: { 'zk.hosts': { address: reg.address }, 'zk.roles': null } });
  }
  if (placed && !reg) {
    out.push({ kind: 'placed_not_registered', ids: [id], sources: ['zk.roles', 'zk.hosts'], sides: { 'zk.roles': { leaf: placed.leaf }, 'zk.hosts': null } });
  }
  if (missing && placed) {
    out.push({ kind: 'missing_but_placed', ids: [id], sources: ['zk.missing', 'zk.roles'], sides: { 'zk.missing': true, 'zk.roles': { leaf: placed.leaf } } });
  }
  // Only ONLINE counts as answering: ERROR means the peer misbehaved, which /missing may rightly report.
  if (missing && status === 'ONLINE') {
    out.push({ kind: 'missing_but_online', ids: [id], sources: ['zk.missing', 'status'], sides: { 'zk.missing': true, status } });
  }
  if (!missing && status === 'OFFLINE') {
    out.push({ kind: 'offline_not_missing', ids: [id], sources: ['status', 'zk.missing'], sides: { status, 'zk.missing': false } });
  }
  return out;
}

function serviceChecks(f: ClusterFacts, service: string): DriftItem[] {
  const members = serviceMembers(f.members, service);
  const sides = { 'zk.services': { members } };
  if (members.length > 1) return [{ kind: 'service_several_members', ids: [service], sources: ['zk.services'], sides }];
  if (members.length === 0 || !members[0]!.address) {
    return [{ kind: 'service_no_leader', ids: [service], sources: ['zk.services'], sides }];
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
  return item.sources.filter((s) => !knowledge[s].known);
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

/** The sources each kind of check compares (node errors: the sources that report them). */
export const DRIFT_CHECK_SOURCES: Record<DriftKind, readonly SourceName[]> = {
  leaf_in_one_source: TREES,
  leaf_owner_differs: TREES,
  leaf_hosts_differ: TREES,
  root_children_differ: ['root', 'chairman'],
  host_address_differs: ['zk.roles', 'chairman', 'zk.hosts'],
  registered_not_placed: ['zk.hosts', 'zk.roles'],
  placed_not_registered: ['zk.roles', 'zk.hosts'],
  missing_but_placed: ['zk.missing', 'zk.roles'],
  missing_but_online: ['zk.missing', 'status'],
  offline_not_missing: ['status', 'zk.missing'],
  service_no_leader: ['zk.services'],
  service_several_members: ['zk.services'],
  node_error: ['zk.services', 'zk.roles', 'zk.hosts'],
};

/** The sources an item of `kind` compares: fixed per kind, but for node errors the one that reports it. */
export function driftSources(kind: DriftKind, sides: DriftItem['sides']): SourceName[] {
  return kind === 'node_error' ? (Object.keys(sides) as SourceName[]) : [...DRIFT_CHECK_SOURCES[kind]];
}

export interface DriftCheck {
  kind: DriftKind;
  sources: SourceName[];
  /** Non-empty: (that part of) the check could not be made in this snapshot. */
  unknownSources: SourceName[];
}

export function driftChecks(knowledge: Knowledge): DriftCheck[] {
  return DRIFT_KINDS.map((kind) => {
    const sources = [...DRIFT_CHECK_SOURCES[kind]];
    return { kind, sources, unknownSources: sources.filter((s) => !knowledge[s].known) };
  });
}
