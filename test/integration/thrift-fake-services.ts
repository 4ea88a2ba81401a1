// Well-behaved Photon services for the client tests: real multiplexed
// framed+compact Thrift servers (src/wire/thrift-server.ts) running the
// generated Processors with small in-memory handlers. Handlers are async with
// exactly one parameter (the generated dispatch counts parameters).
import AgentControl from '../../src/generated/thrift/AgentControl.js';
import Chairman from '../../src/generated/thrift/Chairman.js';
import Host from '../../src/generated/thrift/Host.js';
import RootScheduler from '../../src/generated/thrift/RootScheduler.js';
import photon from '../../src/generated/thrift/photon_types.js';
import type { GetSchedulersResponse } from '../../src/generated/thrift/photon_types.js';
import type { Endpoint } from '../../src/model/ids.js';
import { startThriftServer, type RunningThriftServer, type ThriftProcessor } from '../../src/wire/thrift-server.js';
import { chairmanAnswer, rootAnswer } from '../unit/thrift/fixtures.js';

export interface FakeService {
  endpoint: Endpoint;
  server: RunningThriftServer;
  /** Requests received, by method name, in order. */
  requests: Map<string, unknown[]>;
  close(): Promise<void>;
}

function recorder(): { requests: Map<string, unknown[]>; record(method: string, request: unknown): void } {
  const requests = new Map<string, unknown[]>();
  return {
    requests,
    record(method, request) {
      requests.set(method, [...(requests.get(method) ?? []), request]);
    },
  };
}

async function serve(services: Record<string, ThriftProcessor>, requests: Map<string, unknown[]>): Promise<FakeService> {
  const server = await startThriftServer({ host: '127.0.0.1', port: 0, services });
  return { endpoint: { host: '127.0.0.1', port: server.port }, server, requests, close: () => server.close() };
}

export interface ChairmanBehaviour {
  getSchedulers?: () => Promise<GetSchedulersResponse>;
}

export async function startFakeChairman(behaviour: ChairmanBehaviour = {}): Promise<FakeService> {
  const { requests, record } = recorder();
  const ok = { result: 0 };
  const handler = {
    async get_schedulers(request: unknown) {
      record('get_schedulers', request);
      return behaviour.getSchedulers ? behaviour.getSchedulers() : chairmanAnswer();
    },
    async get_status(request: unknown) {
      record('get_status', request);
      return new photon.Status({ type: photon.StatusType.READY });
    },
    async register_host(request: unknown) {
      record('register_host', request);
      return new photon.RegisterHostResponse(ok);
    },
    async report_missing(request: unknown) {
      record('report_missing', request);
      return new photon.ReportMissingResponse(ok);
    },
    async report_resurrected(request: unknown) {
      record('report_resurrected', request);
      return new photon.ReportResurrectedResponse(ok);
    },
    async unregister_host(request: unknown) {
      record('unregister_host', request);
      return new photon.UnregisterHostResponse(ok);
    },
  };
  return serve({ Chairman: new Chairman.Processor(handler) }, requests);
}

export async function startFakeRootScheduler(behaviour: ChairmanBehaviour = {}): Promise<FakeService> {
  const { requests, record } = recorder();
  const handler = {
    async get_schedulers() {
      record('get_schedulers', null);
      return behaviour.getSchedulers ? behaviour.getSchedulers() : rootAnswer();
    },
    async get_status(request: unknown) {
      record('get_status', request);
      return new photon.Status({ type: photon.StatusType.READY });
    },
    async configure(request: unknown) {
      record('configure', request);
      return new photon.ConfigureResponse({ result: photon.ConfigureResultCode.OK });
    },
  };
  return serve({ RootScheduler: new RootScheduler.Processor(handler) }, requests);
}

export interface AgentBehaviour {
  agentId: string;
  /** Delay of each ping, to hold calls in flight. */
  pingDelayMs?: number;
  /** Called when a ping starts and ends (in-flight accounting). */
  onPing?: (phase: 'start' | 'end') => void;
  /** get_host_config answers a HostConfig whose agent_id echoes the request's, after this delay. */
  echoDelayMs?: (agentId: string) => number;
}

/**
 * An agent: Host and AgentControl on one port. It runs no leaf until
 * configured; then get_schedulers answers the configured leaf role.
 */
export async function startFakeAgent(behaviour: AgentBehaviour): Promise<FakeService & { port: number }> {
  const { requests, record } = recorder();
  let roles: photon.Roles | null = null;
  let port = 0;
  // No timer at all for 0: even setTimeout(0) costs about a millisecond.
  const sleep = async (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : undefined);
  const host = {
    async get_host_config(request: photon.GetConfigRequest) {
      record('get_host_config', request);
      const id = request?.agent_id ?? behaviour.agentId;
      await sleep(behaviour.echoDelayMs?.(id) ?? 0);
      return new photon.GetConfigResponse({
        result: photon.GetConfigResultCode.OK,
        hostConfig: new photon.HostConfig({
          agent_id: id,
          availability_zone: 'az1',
          datastores: [],
          address: new photon.ServerAddress({ host: '127.0.0.1', port }),
        }),
      });
    },
    async configure(request: photon.ConfigureRequest) {
      record('configure', request);
      roles = request.roles;
      return new photon.ConfigureResponse({ result: photon.ConfigureResultCode.OK });
    },
  };
  const agentControl = {
    async get_schedulers(request: unknown) {
      record('get_schedulers', request);
      const leaf = roles?.schedulers?.[0];
      return new photon.GetSchedulersResponse({
        result: photon.GetSchedulersResultCode.OK,
        ...(leaf ? { schedulers: [new photon.SchedulerEntry({ role: leaf, agent: behaviour.agentId })] } : {}),
      });
    },
    async ping(request: unknown) {
      record('ping', request);
      behaviour.onPing?.('start');
      await sleep(behaviour.pingDelayMs ?? 0);
      behaviour.onPing?.('end');
    },
  };
  const service = await serve({ Host: new Host.Processor(host), AgentControl: new AgentControl.Processor(agentControl) }, requests);
  port = service.endpoint.port;
  return { ...service, port };
}
