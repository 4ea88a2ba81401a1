// How the `agents` source's facts are stored (pure). Readers see one
// `agent_role` fact per agent with its whole host list; the file holds that
// fact without the list, plus one `agent_host` fact per (agent, host): one host
// moving between leaves then writes two small versions, not two whole lists
// of about 32 host ids (1.3 KB each at 5,000 hosts).
//
// Histories written before keep `agent_role` values with their list inside
// ({"hosts": [...], "leaf": ..., "parent": ...}) and no `agent_host` facts;
// such a value is read as it is, so old and new rows read alike, and the next
// change of that agent rewrites it in the new shape.
import { isAgentUnknown, type AgentRoleValue } from '../snapshot/agent-facts.js';
import { canonicalJson } from '../snapshot/canonical-json.js';
import type { FactKind } from '../snapshot/fact.js';
import { SourceState } from './source-state.js';

export const AGENTS = 'agents';
const SEP = '/';

export function agentHostEntity(agent: string, host: string): string {
  return `${agent}${SEP}${host}`;
}

/** [agent, host] of an agent_host entity. */
export function splitAgentHost(entity: string): [string, string] {
  const at = entity.lastIndexOf(SEP);
  return [entity.slice(0, at), entity.slice(at + 1)];
}

/** The entity range [lo, hi) holding one agent's agent_host facts. */
export function agentHostRange(agent: string): [string, string] {
  return [`${agent}${SEP}`, `${agent}${String.fromCharCode(SEP.charCodeAt(0) + 1)}`];
}

/** What is stored for an agent's role (null: not holding), and the hosts stored beside it. */
export function storedShape(value: string | null): { role: string | null; hosts: string[] } {
  if (value === null) return { role: null, hosts: [] };
  const v = JSON.parse(value) as AgentRoleValue;
  if (isAgentUnknown(v)) return { role: value, hosts: [] };
  return { role: canonicalJson({ leaf: v.leaf, parent: v.parent }), hosts: v.hosts };
}

/** A stored role that says the agent did not answer: readers take it as the whole answer, whatever hosts are stored beside it. */
export function isUnknownRole(role: string | null): boolean {
  return role !== null && role.startsWith('{"unknown"');
}

/** An agent's role as readers see it, from its stored role and hosts; an old-shape role is its own answer. */
export function joinedRole(role: string, hosts: Iterable<string> | undefined): string {
  if (isUnknownRole(role) || role.startsWith('{"hosts"')) return role;
  const v = JSON.parse(role) as { leaf: string | null; parent: string | null };
  return canonicalJson({ hosts: [...(hosts ?? [])].sort(), leaf: v.leaf, parent: v.parent });
}

/**
 * One source's stored facts at one snapshot, as the running state of a reader
 * that applies versions in order: the agents' roles and host sets.
 */
export class AgentsState {
  readonly roles = new Map<string, string>();
  readonly hosts = new Map<string, Set<string>>();

  /** Applies one stored fact or version of the agents source (value null: stopped holding). */
  apply(kind: FactKind, entity: string, value: string | null): string {
    if (kind === 'agent_host') {
      const [agent, host] = splitAgentHost(entity);
      let set = this.hosts.get(agent);
      if (!set) this.hosts.set(agent, (set = new Set()));
      if (value === null) set.delete(host);
      else set.add(host);
      return agent;
    }
    if (value === null) this.roles.delete(entity);
    else this.roles.set(entity, value);
    return entity;
  }

  /** The agent's role as readers see it; null when it holds none. */
  joined(agent: string): string | null {
    const role = this.roles.get(agent);
    return role === undefined ? null : joinedRole(role, this.hosts.get(agent));
  }
}

/** The agents source's stored facts at one snapshot, as readers see them (each role joined with its hosts when asked for). */
export function joinAgentState(stored: SourceState): SourceState {
  const agents = new AgentsState();
  for (const kind of stored.kinds()) stored.each(kind, (entity, value) => agents.apply(kind, entity, value));
  const facts: { kind: FactKind; entity: string; value: string }[] = [];
  for (const [agent, role] of agents.roles) facts.push({ kind: 'agent_role', entity: agent, value: role });
  return new SourceState(undefined, facts, (_kind, agent, role) => joinedRole(role, agents.hosts.get(agent)));
}

/** One stored row of an agent's keys (its role, its hosts) at one snapshot. */
export interface AgentRow {
  snapshot: number;
  kind: FactKind;
  entity: string;
  value: string | null;
}

/**
 * One agent's agent_role versions as readers see them, from its stored rows in
 * snapshot order (version-reads.ts keyVersions' contract): one version per
 * snapshot whose joined value changed; with `after` > 0, from the version
 * holding at snapshot `after` on.
 */
export function agentRoleHistory(agent: string, rows: readonly AgentRow[], after: number): { snapshot: number; value: string | null }[] {
  const state = new AgentsState();
  const out: { snapshot: number; value: string | null }[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    state.apply(r.kind, r.entity, r.value);
    if (rows[i + 1]?.snapshot === r.snapshot) continue;
    const value = state.joined(agent);
    if (out.length === 0 ? value !== null : out.at(-1)!.value !== value) out.push({ snapshot: r.snapshot, value });
  }
  if (after <= 0) return out;
  let holding = 0;
  while (holding + 1 < out.length && out[holding + 1]!.snapshot <= after) holding++;
  return out.slice(holding);
}

/** One of an agent's keys and its value at some snapshot (null: not holding there). */
export type AgentKeyValue = Omit<AgentRow, 'snapshot'>;

/** An agent's role as readers see it from its keys' values at one snapshot (null: none). */
export function agentRoleOf(agent: string, keys: readonly AgentKeyValue[]): string | null {
  const state = new AgentsState();
  for (const r of keys) if (r.value !== null) state.apply(r.kind, r.entity, r.value);
  return state.joined(agent);
}
