// The simulated root scheduler: serves `RootScheduler` and answers
// get_schedulers() with the root role the chairman last configured. It starts
// (and restarts) empty, like a fresh process, and joins /services/root-scheduler.
import photon from '../generated/thrift/photon_types.js';
import RootScheduler from '../generated/thrift/RootScheduler.js';
import { ROOT_SCHEDULER_ID, type Endpoint } from '../model/ids.js';
import { err, ok, type Result } from '../model/result.js';
import { startThriftServer, type RunningThriftServer } from '../wire/thrift-server.js';
import { joinService, type ServiceMember } from './service-member.js';

export interface RootSchedulerOptions {
  connectString: string;
  host: string;
}

export class SimRootScheduler {
  private role = emptyRootRole();
  private server: RunningThriftServer | null = null;
  private member: ServiceMember | null = null;
  private port = 0;

  constructor(private readonly options: RootSchedulerOptions) {}

  get endpoint(): Endpoint {
    return { host: this.options.host, port: this.port };
  }

  get running(): boolean {
    return this.server !== null;
  }

  get memberPath(): string | null {
    return this.member?.path ?? null;
  }

  /** The root role as last configured (empty since the last start). */
  configuredRole(): photon.SchedulerRole {
    return this.role;
  }

  /** Listens (on the same port as before after a stop), empty, and joins /services/root-scheduler. */
  async start(): Promise<Result<void, string>> {
    if (this.server) return ok(undefined);
    this.role = emptyRootRole();
    let server: RunningThriftServer;
    try {
      server = await startThriftServer({
        host: this.options.host,
        port: this.port,
        services: { RootScheduler: new RootScheduler.Processor(new RootSchedulerHandler(this)) },
      });
    } catch (e) {
      return err(`root scheduler: cannot listen on ${this.options.host}:${this.port}: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.port = server.port;
    const member = await joinService(this.options.connectString, 'root-scheduler', this.endpoint);
    if (!member.ok) {
      await server.close();
      return err(`root scheduler: ${member.error}`);
    }
    this.server = server;
    this.member = member.value;
    return ok(undefined);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const member = this.member;
    this.member = null;
    await Promise.all([server.close(), member?.leave()]);
  }

  /** Takes the request's root role; anything else is refused as the real one would. */
  configure(request: photon.ConfigureRequest): Result<void, string> {
    const roles = request.roles?.schedulers ?? [];
    const role = roles[0];
    if (roles.length !== 1 || !role || role.id !== ROOT_SCHEDULER_ID) {
      return err(`expected exactly one role with id ${ROOT_SCHEDULER_ID}, got ${roles.map((r) => r.id).join(', ') || 'none'}`);
    }
    this.role = role;
    return ok(undefined);
  }
}

function emptyRootRole(): photon.SchedulerRole {
  return new photon.SchedulerRole({ id: ROOT_SCHEDULER_ID, schedulers: [], scheduler_children: [] });
}

class RootSchedulerHandler {
  constructor(private readonly root: SimRootScheduler) {}

  async get_schedulers(): Promise<photon.GetSchedulersResponse> {
    return new photon.GetSchedulersResponse({
      result: photon.GetSchedulersResultCode.OK,
      schedulers: [new photon.SchedulerEntry({ role: this.root.configuredRole() })],
    });
  }

  async get_status(_request: photon.GetStatusRequest): Promise<photon.Status> {
    return new photon.Status({ type: photon.StatusType.READY, build_info: 'treesnap-sim root-scheduler' });
  }

  async configure(request: photon.ConfigureRequest): Promise<photon.ConfigureResponse> {
    const done = this.root.configure(request);
    return done.ok
      ? new photon.ConfigureResponse({ result: photon.ConfigureResultCode.OK })
      : new photon.ConfigureResponse({ result: photon.ConfigureResultCode.SYSTEM_ERROR, error: done.error });
  }
}
