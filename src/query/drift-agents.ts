// Drift checks involving the agents' own view and per-host placement (pure).
// Items have the shape of drift.ts's DriftItem, so wiring is a registry entry.
// An agent that was unknown makes its items "cannot compare", never drift.
import type { AgentRoleValue } from '../snapshot/agent-facts.js';
import type { SourceName } from '../snapshot/source-name.js';
import type { TreeFacts } from './cluster-facts.js';

export const AGENT_DRIFT_KINDS = ['agent_role_differs', 'agent_hosts_differ', 'host_placement_differs'] as const;
export type AgentDriftKind = (typeof AGENT_DRIFT_KINDS)[number];
export type AgentDriftSource = SourceName | 'agents';

export interface AgentDriftItem {
  kind: AgentDriftKind;
  ids: string[];
  sources: AgentDriftSource[];
  sides: Partial<Record<AgentDriftSource, unknown>>;
}
export interface AgentCannotCompare extends AgentDriftItem {
  unknownSources: AgentDriftSource[];
}
export interface AgentDriftResult {
  drift: AgentDriftItem[];
  cannotCompare: AgentCannotCompare[];
}

/** host id → what its agent said, or 'unknown' when it did not answer. Hosts not asked are absent. */
export type AgentViews = ReadonlyMap<string, AgentRoleValue | 'unknown'>;

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Per leaf of /roles with an owner: does the owner's agent hold that leaf, with the same hosts? */
export function agentDrift(zk: TreeFacts, agents: AgentViews): AgentDriftResult {
  const out: AgentDriftResult = { drift: [], cannotCompare: [] };
  for (const [leafId, leaf] of [...zk.leaves].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!leaf.owner || !agents.has(leaf.owner)) continue;
    const view = agents.get(leaf.owner)!;
    const ids = [leafId, leaf.owner];
    const zkHosts = [...(zk.leafHosts.get(leafId) ?? [])].sort();
    if (view === 'unknown') {
      const unknownSources: AgentDriftSource[] = ['agents'];
      const sides = { 'zk.roles': leafId, agents: null };
      out.cannotCompare.push({ kind: 'agent_role_differs', ids, sources: ['zk.roles', 'agents'], sides, unknownSources });
      out.cannotCompare.push({
        kind: 'agent_hosts_differ',
        ids,
        sources: ['zk.roles', 'agents'],
        sides: { 'zk.roles': zkHosts, agents: null },
        unknownSources,
      });
      continue;
    }
    if (view.leaf !== leafId) {
      out.drift.push({ kind: 'agent_role_differs', ids, sources: ['zk.roles', 'agents'], sides: { 'zk.roles': leafId, agents: view.leaf } });
    } else if (!sameList(zkHosts, view.hosts)) {
      out.drift.push({ kind: 'agent_hosts_differ', ids, sources: ['zk.roles', 'agents'], sides: { 'zk.roles': zkHosts, agents: view.hosts } });
    }
  }
  return out;
}

/**
 * Per host placed in either tree: the leaf each tree places it in, when they
 * differ ("h6: zk.roles leaf-2, chairman leaf-3"). null: not placed there.
 */
export function hostPlacementDrift(zk: TreeFacts, chairman: TreeFacts): AgentDriftItem[] {
  const hosts = [...new Set([...zk.placements.keys(), ...chairman.placements.keys()])].sort();
  const out: AgentDriftItem[] = [];
  for (const host of hosts) {
    const a = zk.placements.get(host)?.leaf ?? null;
    const b = chairman.placements.get(host)?.leaf ?? null;
    if (a !== b) {
      out.push({ kind: 'host_placement_differs', ids: [host], sources: ['zk.roles', 'chairman'], sides: { 'zk.roles': a, chairman: b } });
    }
  }
  return out;
}

/** One line for text output: "h6: zk.roles leaf-2, chairman leaf-3". */
export function placementLine(item: AgentDriftItem): string {
  const side = (s: AgentDriftSource) => `${s} ${(item.sides[s] as string | null) ?? 'none'}`;
  return `${item.ids[0]}: ${item.sources.map(side).join(', ')}`;
}
