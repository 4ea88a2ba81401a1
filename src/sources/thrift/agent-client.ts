// Calls on one agent (host): its Host and AgentControl services.
import photon from '../../generated/thrift/photon_types.js';
import type { ConfigureRequest, ConfigureResponse, HostConfig } from '../../generated/thrift/photon_types.js';
import type { Endpoint } from '../../model/ids.js';
import { err, ok, type Result } from '../../model/result.js';
import { sourceError, type SourceError } from '../../model/source-error.js';
import type { LeafNode } from '../../model/tree.js';
import { agentLeaf } from './agent-leaf.js';
import { AGENT_CONTROL_SERVICE, HOST_SERVICE } from './photon-services.js';
import type { RpcOptions } from './rpc-connection.js';
import { callOnce } from './with-rpc-connection.js';

/** The leaf scheduler this agent runs; null when it runs none. */
export async function getLeafScheduler(
  endpoint: Endpoint,
  options: RpcOptions,
): Promise<Result<LeafNode | null, SourceError>> {
  const reply = await callOnce(endpoint, options, AGENT_CONTROL_SERVICE, 'get_schedulers', (c) =>
    c.get_schedulers(new photon.GetSchedulersRequest()),
  );
  return reply.ok ? agentLeaf(reply.value, endpoint) : reply;
}

/** Host.get_host_config; a non-OK result or an OK without the config is an error. */
export async function getHostConfig(
  endpoint: Endpoint,
  options: RpcOptions,
  agentId?: string,
): Promise<Result<HostConfig, SourceError>> {
  const request = new photon.GetConfigRequest(agentId === undefined ? undefined : { agent_id: agentId });
  const reply = await callOnce(endpoint, options, HOST_SERVICE, 'get_host_config', (c) => c.get_host_config(request));
  if (!reply.ok) return reply;
  const { result, error, hostConfig } = reply.value;
  if (typeof result !== 'number') return err(sourceError('protocol', 'agent get_host_config reply has no result code'));
  if (result !== photon.GetConfigResultCode.OK) {
    const name = photon.GetConfigResultCode[result] ?? `result code ${result}`;
    return err(sourceError('system_error', `agent answered ${name}${error ? `: ${error}` : ''}`));
  }
  if (!hostConfig) return err(sourceError('protocol', 'agent answered OK without a hostConfig'));
  return ok(hostConfig);
}

/** AgentControl.ping: answers (void) when the agent's RPC server is serving. */
export function pingAgent(endpoint: Endpoint, options: RpcOptions): Promise<Result<void, SourceError>> {
  return callOnce(endpoint, options, AGENT_CONTROL_SERVICE, 'ping', (c) => c.ping(new photon.PingRequest()));
}

/** Host.configure, as the chairman pushes a role; the raw response, result code included. */
export function configureHost(
  endpoint: Endpoint,
  request: ConfigureRequest,
  options: RpcOptions,
): Promise<Result<ConfigureResponse, SourceError>> {
  return callOnce(endpoint, options, HOST_SERVICE, 'configure', (c) => c.configure(request));
}
