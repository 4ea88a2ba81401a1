// A simulated host agent: serves `Host` and `AgentControl` on its own port,
// registers with the chairman, and holds the leaf role the chairman pushes to
// it. 5,000 of these live in one process, so an agent keeps only its id, its
// address, its config and its role; one handler object serves both services.
//
// stop/start close and reopen the server on the same port; a started agent is
// a fresh process (no role) until it registers again. hang() keeps the port
// accepting connections but never answers.
import type Chairman from '../generated/thrift/Chairman.js';
import Host from '../generated/thrift/Host.js';
import AgentControl from '../generated/thrift/AgentControl.js';
import photon from '../generated/thrift/photon_types.js';
import type { Endpoint, HostId } from '../model/ids.js';
import { err, ok, type Result } from '../model/result.js';
import { startThriftServer } from '../wire/thrift-server.js';
import { listenSilently } from './silent-listener.js';
import type { ThriftChannel } from './thrift-call.js';

export type ChairmanClient = InstanceType<typeof Chairman.Client>;

export type AgentState = 'running' | 'stopped' | 'hung';

interface Listener {
  close(): Promise<void>;
}

export class SimAgent {
  state: AgentState = 'stopped';
  /** The leaf role last pushed by the chairman; null when it owns no leaf. */
  role: photon.SchedulerRole | null = null;
  private listener: Listener | null = null;
  private port = 0;
  private config: photon.HostConfig | null = null;

  /** `describe` builds the agent's HostConfig once its port is known. */
  constructor(
    readonly id: HostId,
    private readonly host: string,
    private readonly describe: (id: HostId, address: Endpoint) => photon.HostConfig,
  ) {}

  get endpoint(): Endpoint {
    return { host: this.host, port: this.port };
  }

  /** The config it reports and registers with; null before its first start. */
  get hostConfig(): photon.HostConfig | null {
    return this.config;
  }

  /** Serves Host and AgentControl (first on a free port, then always on that port). */
  async start(): Promise<Result<void, string>> {
    if (this.state === 'running') return ok(undefined);
    await this.closeListener();
    this.role = null;
    const handler = new AgentHandler(this);
    try {
      const server = await startThriftServer({
        host: this.host,
        port: this.port,
        services: { Host: new Host.Processor(handler), AgentControl: new AgentControl.Processor(handler) },
      });
      this.port = server.port;
      this.listener = server;
    } catch (e) {
      this.state = 'stopped';
      return err(`agent ${this.id}: cannot listen on ${this.host}:${this.port}: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.config ??= this.describe(this.id, this.endpoint);
    this.state = 'running';
    return ok(undefined);
  }

  async stop(): Promise<void> {
    await this.closeListener();
    this.state = 'stopped';
    this.role = null;
  }

  /** Keeps the port open but never answers (accepted connections just sit there). */
  async hang(): Promise<Result<void, string>> {
    if (this.port === 0) return err(`agent ${this.id} has never listened, so it has no port to hang on`);
    await this.closeListener();
    try {
      this.listener = await listenSilently(this.host, this.port);
    } catch (e) {
      this.state = 'stopped';
      return err(`agent ${this.id}: cannot listen on ${this.host}:${this.port}: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.state = 'hung';
    return ok(undefined);
  }

  /** register_host with the chairman over Thrift, on `channel` (one the caller may reuse for other agents). */
  async register(channel: ThriftChannel<ChairmanClient>): Promise<Result<void, string>> {
    const config = this.config;
    if (!config) return err(`agent ${this.id} has no config before its first start`);
    const request = new photon.RegisterHostRequest({ id: this.id, config });
    const answer = await channel.call((c) => c.register_host(request));
    if (!answer.ok) return answer;
    if (answer.value.result !== photon.RegisterHostResultCode.OK) {
      return err(`chairman answered ${photon.RegisterHostResultCode[answer.value.result]}: ${answer.value.error ?? ''}`);
    }
    return ok(undefined);
  }

  /** Takes a pushed leaf role; an empty Roles for the leaf it holds takes that role away. */
  configure(request: photon.ConfigureRequest): Result<void, string> {
    const roles = request.roles?.schedulers ?? [];
    if (roles.length > 1) return err(`an agent holds one leaf role, got ${roles.length}`);
    const role = roles[0];
    if (role) this.role = role;
    else if (this.role?.id === request.scheduler) this.role = null;
    return ok(undefined);
  }

  /**
   * Faults in the agent's own view (in memory; the chairman's next push for
   * this agent overwrites them, as after a real agent restart or lost push).
   */
  loseRole(): void {
    this.role = null;
  }

  holdRole(role: photon.SchedulerRole): void {
    this.role = role;
  }

  /** Keeps its leaf but reports these host children (each at `endpointOf`, or its own address). */
  reportHosts(hostIds: readonly HostId[], endpointOf: (id: HostId) => Endpoint | null): Result<void, string> {
    if (!this.role) return err(`agent ${this.id} holds no role, so it has no host list to change`);
    const children = hostIds.map((id) => {
      const at = endpointOf(id) ?? this.endpoint;
      return new photon.ChildInfo({ id, address: at.host, port: at.port });
    });
    this.role = new photon.SchedulerRole({ ...this.role, hosts: [...hostIds], host_children: children });
    return ok(undefined);
  }

  private async closeListener(): Promise<void> {
    const listener = this.listener;
    this.listener = null;
    await listener?.close();
  }
}

/** Both services' methods on one object: the generated Processors only look up method names. */
class AgentHandler {
  constructor(private readonly agent: SimAgent) {}

  async get_host_config(_request: photon.GetConfigRequest): Promise<photon.GetConfigResponse> {
    const config = this.agent.hostConfig;
    if (!config) return new photon.GetConfigResponse({ result: photon.GetConfigResultCode.SYSTEM_ERROR, error: 'not configured yet' });
    return new photon.GetConfigResponse({ result: photon.GetConfigResultCode.OK, hostConfig: config });
  }

  async configure(request: photon.ConfigureRequest): Promise<photon.ConfigureResponse> {
    const done = this.agent.configure(request);
    return done.ok
      ? new photon.ConfigureResponse({ result: photon.ConfigureResultCode.OK })
      : new photon.ConfigureResponse({ result: photon.ConfigureResultCode.SYSTEM_ERROR, error: done.error });
  }

  async get_schedulers(_request: photon.GetSchedulersRequest): Promise<photon.GetSchedulersResponse> {
    const role = this.agent.role;
    return new photon.GetSchedulersResponse({
      result: photon.GetSchedulersResultCode.OK,
      schedulers: role ? [new photon.SchedulerEntry({ role, agent: this.agent.id })] : [],
    });
  }

  async ping(_request: photon.PingRequest): Promise<void> {
    return undefined;
  }
}
