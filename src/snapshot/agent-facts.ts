// The `agents` source's facts (pure): one `agent_role` fact per agent asked,
// keyed by its host id. An agent that did not answer gets an explicit
// `unknown` value, not silence and not "no role": the drift checks must know
// in *this* snapshot that its view is missing (a kept earlier fact could not
// say so), and its history then shows when it stopped and started answering.
import type { AgentView } from '../model/agent-view.js';
import type { SourceErrorKind } from '../model/source-error.js';

/** What the agent said: the leaf it holds (null: no leaf role), its parent and its hosts. */
export interface AgentHeldRole {
  leaf: string | null;
  parent: string | null;
  hosts: string[];
}

/** The agent was asked and did not answer usably (timeout, refused, garbage). */
export interface AgentUnknown {
  unknown: { kind: SourceErrorKind; message: string };
}

export type AgentRoleValue = AgentHeldRole | AgentUnknown;

export interface AgentFact {
  source: 'agents';
  kind: 'agent_role';
  entity: string;
  value: AgentRoleValue;
}

export function isAgentUnknown(v: AgentRoleValue): v is AgentUnknown {
  return 'unknown' in v;
}

export function agentRoleValue(v: AgentView): AgentRoleValue {
  switch (v.state) {
    case 'role':
      return { leaf: v.leafId, parent: v.parentId, hosts: v.hostIds };
    case 'no_role':
      return { leaf: null, parent: null, hosts: [] };
    case 'unknown':
      return { unknown: { kind: v.error.kind, message: v.error.message } };
  }
}

export function agentFacts(views: readonly AgentView[]): AgentFact[] {
  return views.map((v) => ({ source: 'agents', kind: 'agent_role', entity: v.host, value: agentRoleValue(v) }));
}
