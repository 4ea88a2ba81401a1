// The `agents` source's facts (pure), in the style of source-facts.ts: one
// `agent_role` fact per agent that answered, keyed by its host id. An agent
// that was unknown yields no fact and its earlier fact is kept (the keep
// rule), so a slow agent never reads as one that lost its role.
import type { AgentView } from '../model/agent-view.js';

export interface AgentRoleValue {
  /** null: the agent answered that it holds no leaf role. */
  leaf: string | null;
  parent: string | null;
  hosts: string[];
}

export interface AgentFact {
  source: 'agents';
  kind: 'agent_role';
  entity: string;
  value: AgentRoleValue;
}

export interface AgentFacts {
  facts: AgentFact[];
  /** Hosts whose agent was unknown: their previous agent_role fact must be kept. */
  unknownHosts: string[];
  keep: (kind: string, entity: string) => boolean;
}

export function agentFacts(views: readonly AgentView[]): AgentFacts {
  const facts: AgentFact[] = [];
  const unknownHosts: string[] = [];
  for (const v of views) {
    if (v.state === 'unknown') unknownHosts.push(v.host);
    else {
      const value: AgentRoleValue =
        v.state === 'role' ? { leaf: v.leafId, parent: v.parentId, hosts: v.hostIds } : { leaf: null, parent: null, hosts: [] };
      facts.push({ source: 'agents', kind: 'agent_role', entity: v.host, value });
    }
  }
  const unknown = new Set(unknownHosts);
  return { facts, unknownHosts, keep: (kind, entity) => kind === 'agent_role' && unknown.has(entity) };
}
