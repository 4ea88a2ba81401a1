// A fact is one thing a source said, keyed by (source, kind, entity). The
// store keeps each key's history as versions; the values below are what a
// version holds (stored as canonical JSON).
import type { HostRegistration } from '../model/host-config.js';
import type { Endpoint, HostId, SchedulerId } from '../model/ids.js';
import type { NodeStatus } from '../model/status.js';
import type { SourceErrorKind } from '../model/source-error.js';
import type { ZkStat } from '../model/zk-stat.js';
import type { SourceName } from './source-name.js';
import type { AgentRoleValue } from './agent-facts.js';
import type { WatchRecordValue } from '../model/watch-event.js';

export interface MemberValue {
  address: Endpoint | null;
  error: string | null;
}
export interface LeafValue {
  owner: HostId | null;
  address: Endpoint | null;
}
export interface PlacementValue {
  leaf: SchedulerId;
  address: Endpoint | null;
}
export type RegistrationValue = Omit<HostRegistration, 'id'>;
export type MissingValue = true;
export interface NodeErrorValue {
  kind: SourceErrorKind;
  message: string;
}
export interface ChildValue {
  owner: HostId | null;
  address: Endpoint | null;
}
export interface StatusValue {
  status: NodeStatus;
  address: Endpoint | null;
  message: string | null;
}

/**
 * One disagreement between sources as recorded (src/record/record-drift.ts):
 * the item's sides, and its ids when the entity cannot give them back; its
 * kind is in the entity, its sources follow.
 */
export interface DriftValue {
  ids?: string[];
  sides: Partial<Record<SourceName, unknown>>;
}

/** kind → value type. Entity naming per kind is documented next to each. */
export interface FactValues {
  member: MemberValue; // entity: "<service>/<member node name>" (zk.services)
  leaf: LeafValue; // entity: leaf scheduler id (zk.roles, chairman)
  placement: PlacementValue; // entity: host id (zk.roles, chairman)
  registration: RegistrationValue; // entity: host id (zk.hosts)
  missing: MissingValue; // entity: host id (zk.missing)
  node_error: NodeErrorValue; // entity: ZooKeeper path (zk.roles, zk.hosts, zk.services)
  child: ChildValue; // entity: leaf scheduler id (root)
  status: StatusValue; // entity: host id, or ROOT for the root scheduler (status)
  agent_role: AgentRoleValue; // entity: host id of the agent asked (agents)
  /**
   * Stored only (src/store/agent-rows.ts): one host of an agent's list, entity
   * "<agent host id>/<host id>". The store keeps an agent's list as these so
   * that one host moving writes two small versions instead of two whole lists,
   * and joins them back into `agent_role` for every reader.
   */
  agent_host: true;
  drift: DriftValue; // entity: the item's driftKey, "<kind>:<ids>" (drift, derived)
  stat: ZkStat; // entity: ZooKeeper path (zk.stat, a record)
  watch: WatchRecordValue; // entity: ZooKeeper path, "gap:<from>" or "dropped" (zk.watch, a record)
}
export type FactKind = keyof FactValues;

// A record, so the compiler checks that every kind is listed.
const KIND_LIST: Record<FactKind, true> = {
  member: true,
  leaf: true,
  placement: true,
  registration: true,
  missing: true,
  node_error: true,
  child: true,
  status: true,
  agent_role: true,
  agent_host: true,
  drift: true,
  stat: true,
  watch: true,
};
export const FACT_KINDS = Object.keys(KIND_LIST) as FactKind[];

export type Fact = {
  [K in FactKind]: { source: SourceName; kind: K; entity: string; value: FactValues[K] };
}[FactKind];

/**
 * The identity of a fact within one source. Joined rather than concatenated: a flat
 * string, not a cons string flattened into a copy at its first lookup (canonical-json.ts says why).
 */
export function factKey(kind: FactKind, entity: string): string {
  return [kind, entity].join('\u0000');
}

export function splitFactKey(key: string): { kind: FactKind; entity: string } {
  const at = key.indexOf('\u0000');
  return { kind: key.slice(0, at) as FactKind, entity: key.slice(at + 1) };
}
