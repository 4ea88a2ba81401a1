// The `agents` source: each agent's own view of the leaf role it holds
// (AgentControl.get_schedulers), read with bounded concurrency and a timeout
// per call (RpcOptions). An agent that does not answer, refuses, or answers
// garbage is `unknown` for that agent alone, never "holds no role".
import photon from '../../generated/thrift/photon_types.js';
import type { GetSchedulersResponse } from '../../generated/thrift/photon_types.js';
import type { AgentTarget, AgentView, AgentsMode } from '../../model/agent-view.js';
import type { Endpoint, HostId } from '../../model/ids.js';
import { mapPool } from '../../util/map-pool.js';
import { AGENT_CONTROL_SERVICE } from './photon-services.js';
import type { RpcOptions } from './rpc-connection.js';
import { checkSchedulersReply } from './schedulers-reply.js';
import { callOnce } from './with-rpc-connection.js';

export type { AgentTarget, AgentView, AgentsMode };

export interface ReadAgentsOptions {
  rpc: RpcOptions;
  /** Agents asked at once. */
  concurrency: number;
}

/** An agent's get_schedulers reply as its view (pure): OK with no entry is "no role"; a bad reply is unknown. */
export function agentView(host: HostId, response: GetSchedulersResponse): AgentView {
  const checked = checkSchedulersReply(response, `agent ${host}`);
  if (!checked.ok) return { host, state: 'unknown', error: checked.error };
  const entry = checked.value[0];
  if (!entry) return { host, state: 'no_role' };
  const hostIds = entry.hostChildren.map((h) => h.id).sort();
  return { host, state: 'role', leafId: entry.id, parentId: entry.parentId, hostIds };
}

export async function readAgent(target: AgentTarget, rpc: RpcOptions): Promise<AgentView> {
  const reply = await callOnce(target.address, rpc, AGENT_CONTROL_SERVICE, 'get_schedulers', (c) =>
    c.get_schedulers(new photon.GetSchedulersRequest()),
  );
  if (!reply.ok) return { host: target.host, state: 'unknown', error: reply.error };
  return agentView(target.host, reply.value);
}

/** Every target's view, in target order. */
export function readAgents(targets: readonly AgentTarget[], options: ReadAgentsOptions): Promise<AgentView[]> {
  return mapPool(targets, options.concurrency, (t) => readAgent(t, options.rpc));
}

/**
 * Whom to ask. `owners`: each leaf owner in ZooKeeper's /roles (address from
 * its registration, else the leaf's address); `all`: every registered host.
 * Sorted by host id, one target per host.
 */
export function agentTargets(
  mode: AgentsMode,
  owners: ReadonlyMap<HostId, Endpoint | null>,
  registered: ReadonlyMap<HostId, Endpoint>,
): AgentTarget[] {
  const out = new Map<HostId, Endpoint>();
  if (mode === 'all') for (const [host, address] of registered) out.set(host, address);
  else {
    for (const [host, address] of owners) {
      const a = registered.get(host) ?? address;
      if (a) out.set(host, a);
    }
  }
  return [...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([host, address]) => ({ host, address }));
}
