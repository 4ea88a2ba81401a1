// What one fact's change means, in the terms users ask about (pure): a leaf
// added, a host moved, a status flip, which HostConfig fields changed. Diff,
// timeline and host history all describe changes through this one function.
import type { Endpoint } from '../model/ids.js';
import type { NodeStatus } from '../model/status.js';
import type {
  FactKind,
  LeafValue,
  MemberValue,
  NodeErrorValue,
  PlacementValue,
  RegistrationValue,
  StatusValue,
} from '../snapshot/fact.js';
import type { SourceName } from '../snapshot/source-name.js';
import type { ExactTime } from '../model/snapshot-mark.js';
import { isAgentUnknown, type AgentRoleValue } from '../snapshot/agent-facts.js';
import { sameJson } from '../util/same-json.js';

/** One fact's value before and after (null: it did not hold). */
export interface FactDelta {
  source: SourceName;
  kind: FactKind;
  entity: string;
  before: unknown;
  after: unknown;
  /** When the later value was written, where ZooKeeper's Stat proves it (exact-time.ts). */
  exact?: ExactTime | null;
}

export type ChangeItem =
  // leaves: zk.roles and chairman trees; for source root, the root scheduler's children
  | { category: 'leaf_added'; id: string; before: null; after: LeafValue }
  | { category: 'leaf_removed'; id: string; before: LeafValue; after: null }
  | { category: 'leaf_owner_changed'; id: string; before: string | null; after: string | null }
  | { category: 'leaf_address_changed'; id: string; before: Endpoint | null; after: Endpoint | null }
  // hosts placed in a tree
  | { category: 'host_added'; id: string; before: null; after: PlacementValue }
  | { category: 'host_removed'; id: string; before: PlacementValue; after: null }
  | { category: 'host_moved'; id: string; before: string; after: string }
  // a placement's or a registration's address
  | { category: 'host_address_changed'; id: string; before: Endpoint | null; after: Endpoint | null }
  // /hosts
  | { category: 'registration_added'; id: string; before: null; after: { address: Endpoint } }
  | { category: 'registration_removed'; id: string; before: { address: Endpoint }; after: null }
  | { category: 'host_config_changed'; id: string; fields: string[]; before: Record<string, unknown>; after: Record<string, unknown> }
  // /missing
  | { category: 'missing_added'; id: string; before: false; after: true }
  | { category: 'missing_removed'; id: string; before: true; after: false }
  // service members and leaders (id: "<service>/<member>", or the service for leaders)
  | { category: 'member_added'; id: string; before: null; after: MemberValue }
  | { category: 'member_removed'; id: string; before: MemberValue; after: null }
  | { category: 'member_changed'; id: string; before: MemberValue; after: MemberValue }
  | { category: 'leader_changed'; id: string; before: Endpoint | null; after: Endpoint | null }
  // probes (null: not probed)
  | { category: 'status_changed'; id: string; before: NodeStatus | null; after: NodeStatus | null }
  // agents' own view (id: the agent's host; null: not asked): the leaf it holds, or its answer, changed
  | { category: 'agent_role_changed'; id: string; before: AgentRoleValue | null; after: AgentRoleValue | null }
  // the same leaf held, with another host list
  | { category: 'agent_hosts_changed'; id: string; leaf: string; before: string[]; after: string[] }
  // unreadable ZooKeeper nodes (id: the path)
  | { category: 'node_error_added'; id: string; before: null; after: NodeErrorValue }
  | { category: 'node_error_removed'; id: string; before: NodeErrorValue; after: null }
  | { category: 'node_error_changed'; id: string; before: NodeErrorValue; after: NodeErrorValue };

export type ChangeCategory = ChangeItem['category'];

/** The order categories are grouped and printed in. */
export const CHANGE_CATEGORIES: readonly ChangeCategory[] = [
  'leaf_added',
  'leaf_removed',
  'leaf_owner_changed',
  'leaf_address_changed',
  'host_added',
  'host_removed',
  'host_moved',
  'host_address_changed',
  'registration_added',
  'registration_removed',
  'host_config_changed',
  'missing_added',
  'missing_removed',
  'leader_changed',
  'member_added',
  'member_removed',
  'member_changed',
  'status_changed',
  'agent_role_changed',
  'agent_hosts_changed',
  'node_error_added',
  'node_error_removed',
  'node_error_changed',
];

const CATEGORY_ORDER = new Map(CHANGE_CATEGORIES.map((c, i) => [c, i]));

export function compareChanges(a: ChangeItem, b: ChangeItem): number {
  const c = CATEGORY_ORDER.get(a.category)! - CATEGORY_ORDER.get(b.category)!;
  return c || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Values compared here are parsed from the store's canonical JSON, so their
 * keys already come in canonical order and comparing them as printed is exact;
 * a field one side lacks is null there.
 */
function same(a: unknown, b: unknown): boolean {
  return sameJson(a ?? null, b ?? null);
}

function leafChanges(id: string, before: LeafValue | null, after: LeafValue | null): ChangeItem[] {
  if (!before && after) return [{ category: 'leaf_added', id, before: null, after }];
  if (before && !after) return [{ category: 'leaf_removed', id, before, after: null }];
  if (!before || !after) return [];
  const out: ChangeItem[] = [];
  if (before.owner !== after.owner) out.push({ category: 'leaf_owner_changed', id, before: before.owner, after: after.owner });
  if (!same(before.address, after.address)) {
    out.push({ category: 'leaf_address_changed', id, before: before.address, after: after.address });
  }
  return out;
}

function placementChanges(id: string, before: PlacementValue | null, after: PlacementValue | null): ChangeItem[] {
  if (!before && after) return [{ category: 'host_added', id, before: null, after }];
  if (before && !after) return [{ category: 'host_removed', id, before, after: null }];
  if (!before || !after) return [];
  const out: ChangeItem[] = [];
  if (before.leaf !== after.leaf) out.push({ category: 'host_moved', id, before: before.leaf, after: after.leaf });
  if (!same(before.address, after.address)) {
    out.push({ category: 'host_address_changed', id, before: before.address, after: after.address });
  }
  return out;
}

function registrationChanges(id: string, before: RegistrationValue | null, after: RegistrationValue | null): ChangeItem[] {
  if (!before && after) return [{ category: 'registration_added', id, before: null, after: { address: after.address } }];
  if (before && !after) return [{ category: 'registration_removed', id, before: { address: before.address }, after: null }];
  if (!before || !after) return [];
  const out: ChangeItem[] = [];
  if (!same(before.address, after.address)) {
    out.push({ category: 'host_address_changed', id, before: before.address, after: after.address });
  }
  const b = before as unknown as Record<string, unknown>;
  const a = after as unknown as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .filter((f) => f !== 'address' && !same(b[f], a[f]))
    .sort();
  if (fields.length) {
    out.push({
      category: 'host_config_changed',
      id,
      fields,
      before: Object.fromEntries(fields.map((f) => [f, b[f] ?? null])),
      after: Object.fromEntries(fields.map((f) => [f, a[f] ?? null])),
    });
  }
  return out;
}

function memberChanges(id: string, before: MemberValue | null, after: MemberValue | null): ChangeItem[] {
  if (!before && after) return [{ category: 'member_added', id, before: null, after }];
  if (before && !after) return [{ category: 'member_removed', id, before, after: null }];
  if (!before || !after || same(before, after)) return [];
  return [{ category: 'member_changed', id, before, after }];
}

function nodeErrorChanges(id: string, before: NodeErrorValue | null, after: NodeErrorValue | null): ChangeItem[] {
  if (!before && after) return [{ category: 'node_error_added', id, before: null, after }];
  if (before && !after) return [{ category: 'node_error_removed', id, before, after: null }];
  if (!before || !after || same(before, after)) return [];
  return [{ category: 'node_error_changed', id, before, after }];
}

function agentChanges(id: string, before: AgentRoleValue | null, after: AgentRoleValue | null): ChangeItem[] {
  if (same(before, after)) return [];
  const held = (v: AgentRoleValue | null) => (v === null || isAgentUnknown(v) ? null : v);
  const b = held(before);
  const a = held(after);
  if (b && a && b.leaf !== null && b.leaf === a.leaf) {
    // Same leaf: only its host list (or parent) moved.
    return same(b.hosts, a.hosts) ? [] : [{ category: 'agent_hosts_changed', id, leaf: a.leaf, before: b.hosts, after: a.hosts }];
  }
  // A new unknown error text alone is not a change users ask about.
  if (before && after && isAgentUnknown(before) && isAgentUnknown(after)) return [];
  return [{ category: 'agent_role_changed', id, before, after }];
}

/** The changes one fact's before/after amounts to; none when nothing users ask about differs. */
export function classifyChange(d: FactDelta): ChangeItem[] {
  const id = d.entity;
  const before = d.before ?? null;
  const after = d.after ?? null;
  switch (d.kind) {
    case 'leaf':
    case 'child':
      return leafChanges(id, before as LeafValue | null, after as LeafValue | null);
    case 'placement':
      return placementChanges(id, before as PlacementValue | null, after as PlacementValue | null);
    case 'registration':
      return registrationChanges(id, before as RegistrationValue | null, after as RegistrationValue | null);
    case 'missing':
      if (before === null && after !== null) return [{ category: 'missing_added', id, before: false, after: true }];
      if (before !== null && after === null) return [{ category: 'missing_removed', id, before: true, after: false }];
      return [];
    case 'member':
      return memberChanges(id, before as MemberValue | null, after as MemberValue | null);
    case 'status': {
      // Only the verdict: a new error message or probe address alone is not a flip.
      const b = (before as StatusValue | null)?.status ?? null;
      const a = (after as StatusValue | null)?.status ?? null;
      return b === a ? [] : [{ category: 'status_changed', id, before: b, after: a }];
    }
    case 'node_error':
      return nodeErrorChanges(id, before as NodeErrorValue | null, after as NodeErrorValue | null);
    case 'agent_role':
      return agentChanges(id, before as AgentRoleValue | null, after as AgentRoleValue | null);
    case 'drift':
      // Derived, not read from the cluster: `drift` reports it, diffs do not.
      return [];
    case 'agent_host':
      // Never leaves the store: it joins them into agent_role (src/store/agent-rows.ts).
      return [];
    case 'stat':
    case 'watch':
      // ZooKeeper's records of changes, not changes users ask about: they time the others.
      return [];
  }
}
