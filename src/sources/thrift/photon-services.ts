// The multiplexed service names Photon serves, bound to their generated clients.
import AgentControl from '../../generated/thrift/AgentControl.js';
import Chairman from '../../generated/thrift/Chairman.js';
import Host from '../../generated/thrift/Host.js';
import RootScheduler from '../../generated/thrift/RootScheduler.js';
import type { ThriftService } from './rpc-connection.js';

export type ChairmanClient = InstanceType<typeof Chairman.Client>;
export type RootSchedulerClient = InstanceType<typeof RootScheduler.Client>;
export type HostClient = InstanceType<typeof Host.Client>;
export type AgentControlClient = InstanceType<typeof AgentControl.Client>;

export const CHAIRMAN_SERVICE: ThriftService<ChairmanClient> = { name: 'Chairman', Client: Chairman.Client };
export const ROOT_SCHEDULER_SERVICE: ThriftService<RootSchedulerClient> = {
  name: 'RootScheduler',
  Client: RootScheduler.Client,
};
export const HOST_SERVICE: ThriftService<HostClient> = { name: 'Host', Client: Host.Client };
export const AGENT_CONTROL_SERVICE: ThriftService<AgentControlClient> = {
  name: 'AgentControl',
  Client: AgentControl.Client,
};
