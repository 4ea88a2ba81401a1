// The `agents` source between its readers' shape and its stored shape (I/O;
// agent-shape.ts has the shapes). Writes are split here, inside the write
// transaction; every read that hands agent facts out of the store joins them
// back, so nothing above the store ever sees an `agent_host` fact.
import type { VersionWrite } from '../snapshot/plan-versions.js';
import type { Db } from './db.js';
import { agentHostEntity, agentHostRange, agentRoleHistory, agentRoleOf, isUnknownRole, storedShape, type AgentKeyValue, type AgentRow } from './agent-shape.js';
import { statement } from './statement-cache.js';

const ROLE_SQL = `
  SELECT v.value FROM fact_keys k JOIN fact_versions v ON v.key_id = k.id
  WHERE k.cluster = current_cluster() AND k.source = 'agents' AND k.kind = 'agent_role' AND k.entity = ? ORDER BY v.from_snapshot DESC LIMIT 1`;

const HOSTS_SQL = `
  SELECT k.entity FROM fact_keys k
  WHERE k.cluster = current_cluster() AND k.source = 'agents' AND k.kind = 'agent_host' AND k.entity >= ? AND k.entity < ?
    AND (SELECT v.value FROM fact_versions v WHERE v.key_id = k.id ORDER BY v.from_snapshot DESC LIMIT 1) IS NOT NULL`;

/** The agent's stored role and hosts at the head of the file. */
function storedNow(db: Db, agent: string): { role: string | null; hosts: Set<string> } {
  const role = (statement(db, ROLE_SQL).pluck().get(agent) as string | null | undefined) ?? null;
  const [lo, hi] = agentHostRange(agent);
  const entities = statement(db, HOSTS_SQL).pluck().all(lo, hi) as string[];
  return { role, hosts: new Set(entities.map((e) => e.slice(lo.length))) };
}

/**
 * The stored versions for readers' versions of the agents source: each
 * `agent_role` write becomes the role's own version (when that differs) and
 * one version per host that joined or left the agent's list. Call before any
 * of the snapshot's versions are inserted.
 */
export function splitAgentWrites(db: Db, writes: readonly VersionWrite[]): VersionWrite[] {
  const out: VersionWrite[] = [];
  for (const w of writes) {
    if (w.kind !== 'agent_role') {
      out.push(w);
      continue;
    }
    const now = storedNow(db, w.entity);
    const want = storedShape(w.value);
    if (want.role !== now.role) out.push({ kind: 'agent_role', entity: w.entity, value: want.role });
    // An agent that did not answer keeps its stored hosts (its unknown role is read as the whole
    // answer): 500 agents failing at once wrote ~32 tombstones each, and their next answer as many again.
    if (isUnknownRole(want.role)) continue;
    const hosts = new Set(want.hosts);
    for (const h of want.hosts) if (!now.hosts.has(h)) out.push({ kind: 'agent_host', entity: agentHostEntity(w.entity, h), value: 'true' });
    for (const h of now.hosts) if (!hosts.has(h)) out.push({ kind: 'agent_host', entity: agentHostEntity(w.entity, h), value: null });
  }
  return out;
}

export const AGENT_HISTORY_SQL = `
  SELECT v.from_snapshot AS snapshot, k.kind AS kind, k.entity AS entity, v.value AS value
  FROM fact_keys k JOIN fact_versions v ON v.key_id = k.id
  WHERE k.cluster = current_cluster() AND k.source = 'agents' AND ((k.kind = 'agent_role' AND k.entity = ?) OR (k.kind = 'agent_host' AND k.entity >= ? AND k.entity < ?))
    AND v.from_snapshot <= ?
  ORDER BY v.from_snapshot`;

/** One agent's agent_role versions up to `upTo` as readers see them (keyVersions' contract, version-reads.ts). */
export function agentRoleVersions(db: Db, agent: string, upTo: number, after: number): { snapshot: number; value: string | null }[] {
  const [lo, hi] = agentHostRange(agent);
  return agentRoleHistory(agent, statement(db, AGENT_HISTORY_SQL).all(agent, lo, hi, upTo) as AgentRow[], after);
}

// Two seeks of the keys' identity index, one per kind: with the kinds in one OR, SQLite
// walked every key of the source (10,000 at 5,000 hosts) for each agent asked about.
export const AGENT_AT_SQL = `
  SELECT k.kind AS kind, k.entity AS entity,
    (SELECT v.value FROM fact_versions v WHERE v.key_id = k.id AND v.from_snapshot <= @at ORDER BY v.from_snapshot DESC LIMIT 1) AS value
  FROM fact_keys k
  WHERE k.cluster = current_cluster() AND k.source = 'agents' AND k.kind = 'agent_role' AND k.entity = @agent
  UNION ALL
  SELECT k.kind AS kind, k.entity AS entity,
    (SELECT v.value FROM fact_versions v WHERE v.key_id = k.id AND v.from_snapshot <= @at ORDER BY v.from_snapshot DESC LIMIT 1) AS value
  FROM fact_keys k
  WHERE k.cluster = current_cluster() AND k.source = 'agents' AND k.kind = 'agent_host' AND k.entity >= @lo AND k.entity < @hi`;

/** One agent's role at a snapshot as readers see it (null: none), from its own keys: one seek per key. */
export function agentRoleAt(db: Db, agent: string, snapshotId: number): string | null {
  const [lo, hi] = agentHostRange(agent);
  return agentRoleOf(agent, statement(db, AGENT_AT_SQL).all({ at: snapshotId, agent, lo, hi }) as AgentKeyValue[]);
}
