// A Photon-compatible cluster in one process: a chairman, a root scheduler and
// N agents on loopback, speaking the real wire protocol and writing the real
// ZooKeeper layout. Users rehearse incidents with it; the demo, the tests and
// the benchmarks drive it. This file is its API: start, ground truth, faults.
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import type { HostRegistration } from '../model/host-config.js';
import type { Endpoint, HostId, SchedulerId } from '../model/ids.js';
import { err, ok, type Result } from '../model/result.js';
import type { RootChild, SchedulerTree } from '../model/tree.js';
import { mapPool } from '../util/map-pool.js';
import Chairman from '../generated/thrift/Chairman.js';
import { SimAgent, type AgentState, type ChairmanClient } from './agent.js';
import { SimChairman, type ChairmanCounters } from './chairman.js';
import { fakeHostConfig, newFleet } from './fake-host-config.js';
import { addSecondMember, unusedPort, writeCorruptValue } from './faults.js';
import { hostRegistration } from './host-registration.js';
import { SimRootScheduler } from './root-scheduler.js';
import { ThriftChannel } from './thrift-call.js';
import { LAYOUT_PARENTS, ROLES_PATH, SERVICES_PATH, type PhotonService } from './zk-paths.js';
import { ensureChroot, openZkSession, type ZkSession } from './zk-session.js';

export interface SimulatedClusterOptions {
  /** ZooKeeper connect string, may include a chroot (created when absent). */
  zk: string;
  /** Number of agents. */
  hosts: number;
  /** Hosts per leaf scheduler; 32 when absent. */
  fanout?: number;
  /** Loopback address every process listens on; 127.0.0.1 when absent. */
  host?: string;
  /** Agents registering at the same time; 64 when absent. */
  registerConcurrency?: number;
  log?: (line: string) => void;
}

export interface ServiceTruth {
  endpoint: Endpoint;
  running: boolean;
  /** Its ephemeral member under /services; null while stopped. */
  memberPath: string | null;
}

export interface AgentTruth {
  endpoint: Endpoint;
  state: AgentState;
  /** The leaf whose role the agent holds (pushed by the chairman); null when none. */
  roleLeafId: SchedulerId | null;
}

/** What the simulated cluster really is, to compare what treesnap reads against. */
export interface SimTruth {
  /**
   * The chairman's in-memory tree (leaves in creation order, hosts oldest
   * first). rootAddress is where the root scheduler listens, running or not.
   */
  tree: SchedulerTree;
  /** The chairman's registrations (what it wrote to /hosts), in registration order. */
  registrations: Map<HostId, HostRegistration>;
  /** Host and scheduler ids the chairman holds a /missing node for. */
  missing: Set<string>;
  /** Every simulated agent, in start order. */
  agents: Map<HostId, AgentTruth>;
  chairman: ServiceTruth;
  /** children: the root scheduler's role as last configured (empty after a restart until reconfigured). */
  rootScheduler: ServiceTruth & { children: RootChild[] };
  counters: ChairmanCounters;
}

export interface StartupTimings {
  /** Agents listening. */
  listenMs: number;
  /** Every agent's register_host answered. */
  registerMs: number;
  /** Every /roles node written and every configure pushed, after the last registration. */
  settleMs: number;
  /** From the call to all-registered-and-settled. */
  totalMs: number;
}

export interface SimulatedCluster {
  readonly zk: string;
  readonly fanout: number;
  /** Agent host ids in start order. */
  readonly hostIds: readonly HostId[];
  readonly chairman: Endpoint;
  readonly rootScheduler: Endpoint;
  readonly timings: StartupTimings;
  /** A fresh snapshot of the ground truth. */
  truth(): SimTruth;
  /** Resolves once every change so far is persisted and pushed. */
  settled(): Promise<void>;

  /**
   * Starts `count` more agents, one after another; each registers with the chairman
   * before the next starts (so placement follows that order) unless `register` is false
   * (an agent that never registers, like one pointed at a wrong chairman). Answers their ids.
   */
  addAgents(count: number, options?: { register?: boolean }): Promise<Result<HostId[], string>>;
  /** Closes the agent's port (connections refused). */
  stopAgent(id: HostId): Promise<Result<void, string>>;
  /** Listens again on the same port, re-registers with the chairman (when it runs) and waits for its role. */
  startAgent(id: HostId): Promise<Result<void, string>>;
  /** Accepts connections on the agent's port but never answers. startAgent undoes it. */
  hangAgent(id: HostId): Promise<Result<void, string>>;
  /** Its member leaves /services/chairman and its port closes. */
  stopChairman(): Promise<void>;
  /** Same port, a new member; re-persists and re-pushes the whole tree, then resolves. */
  startChairman(): Promise<Result<void, string>>;
  stopRootScheduler(): Promise<void>;
  /** Same port, a new member, empty until the chairman (when running) configures it; resolves after that. */
  startRootScheduler(): Promise<Result<void, string>>;

  /**
   * Moves a host to another leaf in the chairman's memory only (not persisted, not pushed; a later change to either
   * leaf, or a chairman restart, persists it). Moving an owner hands its leaf to the next host, in memory.
   */
  divergeChairman(hostId: HostId, toLeafId: SchedulerId): Result<void, string>;
  /** The agent answers get_schedulers with no role (until the chairman pushes it one again). */
  agentLoseRole(hostId: HostId): Result<void, string>;
  /** The agent answers with another leaf's role (as the chairman would push it). */
  agentHoldRole(hostId: HostId, leafId: SchedulerId): Result<void, string>;
  /** The agent keeps its leaf but reports these hosts as its children. */
  agentReportHosts(hostId: HostId, hostIds: readonly HostId[]): Result<void, string>;
  /** The chairman pushes roles to agents `ms` after writing /roles (0 restores at once). */
  delayChairmanPushes(ms: number): void;
  /** Writes bytes that are no Thrift struct (default: faults.CORRUPT_VALUE) at a path relative to the chroot. */
  writeCorruptValue(path: string, bytes?: Buffer): Promise<Result<void, string>>;
  /** Writes /hosts/<id> for a host no leaf holds (address: a port nothing listens on). */
  registerOrphanHost(id: HostId): Promise<Result<void, string>>;
  /** A second ephemeral member under /services/<service>: the service then has no leader. Answers its path. */
  addSecondMember(service: PhotonService): Promise<Result<string, string>>;
  /** Deletes a member node (one added by addSecondMember, say). */
  removeMember(path: string): Promise<Result<void, string>>;
  /** As the chairman's report_missing, without the RPC. */
  reportMissing(ids: readonly string[]): Promise<Result<void, string>>;
  /** As the chairman's report_resurrected, without the RPC. */
  reportResurrected(ids: readonly string[]): Promise<Result<void, string>>;
  /**
   * A leader flap: the chairman (or root scheduler) leaves ZooKeeper, stays away `ms`, and comes back
   * on the same port as a new member, so the leader's address is the same before and after.
   */
  flapLeader(service: 'chairman' | 'root-scheduler', ms: number): Promise<Result<void, string>>;
  /** Writes /roles/<owner> again with the value it holds: its version moves, nothing else. */
  rewriteRole(owner: HostId): Promise<Result<void, string>>;

  /** Closes every process and session (ephemeral members go). Persistent data stays unless `clean`. */
  stop(options?: { clean?: boolean }): Promise<void>;
}

const RPC_TIMEOUT_MS = 5_000;
const REGISTER_RETRIES = 2;

export async function startSimulatedCluster(options: SimulatedClusterOptions): Promise<SimulatedCluster> {
  const settings = checkOptions(options);
  const log = options.log ?? (() => undefined);
  const began = performance.now();

  const chroot = await ensureChroot(options.zk);
  if (!chroot.ok) throw new Error(`simulator: ${chroot.error}`);
  const opened = await openZkSession(options.zk);
  if (!opened.ok) throw new Error(`simulator: ${opened.error}`);
  const zk = opened.value;
  const parts = new ClusterParts(zk, options.zk, settings, log);
  try {
    await parts.startServices();
    const listenMs = await parts.startAgents();
    const registerMs = await parts.registerAgents();
    const settleStart = performance.now();
    await parts.chairman.settled();
    const settleMs = performance.now() - settleStart;
    return parts.api({ listenMs, registerMs, settleMs, totalMs: performance.now() - began });
  } catch (e) {
    await parts.stop(false);
    throw e;
  }
}

interface Settings {
  hosts: number;
  fanout: number;
  host: string;
  registerConcurrency: number;
}

function checkOptions(o: SimulatedClusterOptions): Settings {
  const settings = { hosts: o.hosts, fanout: o.fanout ?? 32, host: o.host ?? '127.0.0.1', registerConcurrency: o.registerConcurrency ?? 64 };
  if (!Number.isInteger(settings.hosts) || settings.hosts < 0) throw new RangeError(`hosts must be a whole number >= 0, got ${o.hosts}`);
  if (!Number.isInteger(settings.fanout) || settings.fanout < 1) throw new RangeError(`fanout must be a whole number >= 1, got ${o.fanout}`);
  if (!Number.isInteger(settings.registerConcurrency) || settings.registerConcurrency < 1) {
    throw new RangeError(`registerConcurrency must be a whole number >= 1, got ${o.registerConcurrency}`);
  }
  return settings;
}

/** The running pieces and the operations on them; `api()` is what callers get. */
class ClusterParts {
  readonly chairman: SimChairman;
  readonly root: SimRootScheduler;
  readonly agents = new Map<HostId, SimAgent>();
  private readonly fleet = newFleet();
  private described = 0;

  constructor(
    private readonly zk: ZkSession,
    private readonly connectString: string,
    private readonly settings: Settings,
    private readonly log: (line: string) => void,
  ) {
    this.root = new SimRootScheduler({ connectString, host: settings.host });
    this.chairman = new SimChairman({
      zk,
      connectString,
      host: settings.host,
      fanout: settings.fanout,
      rootScheduler: () => this.root.endpoint,
      log,
      rpcTimeoutMs: RPC_TIMEOUT_MS,
    });
  }

  async startServices(): Promise<void> {
    for (const path of LAYOUT_PARENTS) {
      const made = await this.zk.ensurePath(path);
      if (!made.ok) throw new Error(`simulator: ${made.error}`);
    }
    const root = await this.root.start();
    if (!root.ok) throw new Error(`simulator: ${root.error}`);
    const chairman = await this.chairman.start();
    if (!chairman.ok) throw new Error(`simulator: ${chairman.error}`);
    this.log(`root scheduler listening on ${show(this.root.endpoint)} (${this.root.memberPath})`);
    this.log(`chairman listening on ${show(this.chairman.endpoint)} (${this.chairman.memberPath}), fanout ${this.settings.fanout}`);
  }

  private newAgent(): SimAgent {
    const describe = (id: HostId, address: Endpoint) => fakeHostConfig(this.fleet, this.described++, id, address);
    const agent = new SimAgent(randomUUID(), this.settings.host, describe);
    this.agents.set(agent.id, agent);
    return agent;
  }

  /** Answers the time it took. */
  async startAgents(): Promise<number> {
    const t0 = performance.now();
    for (let i = 0; i < this.settings.hosts; i++) this.newAgent();
    const started = await mapPool([...this.agents.values()], 64, (agent) => agent.start());
    const failed = started.find((r) => !r.ok);
    if (failed && !failed.ok) throw new Error(`simulator: ${failed.error}`);
    const ms = performance.now() - t0;
    this.log(`${this.agents.size} agents listening on ${this.settings.host} (${Math.round(ms)} ms)`);
    return ms;
  }

  /**
   * Answers the time it took. Each of `registerConcurrency` workers registers
   * its share of agents over one connection to the chairman (a connection per
   * agent costs more than the registration itself); a broken connection is
   * replaced, and a failed registration is retried on a fresh one.
   */
  async registerAgents(): Promise<number> {
    const t0 = performance.now();
    const queue = [...this.agents.values()];
    let next = 0;
    const failures: string[] = [];
    const worker = async (): Promise<void> => {
      let channel = this.chairmanChannel();
      while (next < queue.length) {
        const agent = queue[next++]!;
        if (channel.broken) channel = this.chairmanChannel();
        const first = await agent.register(channel);
        const outcome = first.ok ? first : await this.registerWithRetry(agent, first.error);
        if (!outcome.ok) failures.push(outcome.error);
      }
      channel.close();
    };
    await Promise.all(Array.from({ length: Math.min(this.settings.registerConcurrency, queue.length) }, worker));
    if (failures.length > 0) throw new Error(`simulator: ${failures.length} agents could not register, first: ${failures[0]}`);
    const ms = performance.now() - t0;
    this.log(`${this.agents.size} agents registered (${Math.round(ms)} ms)`);
    return ms;
  }

  private chairmanChannel(): ThriftChannel<ChairmanClient> {
    return new ThriftChannel(this.chairman.endpoint, 'Chairman', Chairman.Client, RPC_TIMEOUT_MS);
  }

  /** Registers over a one-off connection. */
  private async registerOnce(agent: SimAgent): Promise<Result<void, string>> {
    const channel = this.chairmanChannel();
    const outcome = await agent.register(channel);
    channel.close();
    return outcome;
  }

  private async registerWithRetry(agent: SimAgent, firstError: string): Promise<Result<void, string>> {
    let error = firstError;
    for (let attempt = 1; attempt <= REGISTER_RETRIES; attempt++) {
      this.log(`agent ${agent.id}: register: ${error}; retrying`);
      await new Promise((r) => setTimeout(r, 100 * attempt));
      const retried = await this.registerOnce(agent);
      if (retried.ok) return retried;
      error = retried.error;
    }
    return err(error);
  }

  async addAgents(count: number, register: boolean): Promise<Result<HostId[], string>> {
    const ids: HostId[] = [];
    for (let i = 0; i < count; i++) {
      const agent = this.newAgent();
      const started = await agent.start();
      if (!started.ok) return started;
      if (register) {
        const registered = await this.registerOnce(agent);
        if (!registered.ok) return registered;
        await this.chairman.settled();
      }
      ids.push(agent.id);
    }
    return ok(ids);
  }

  truth(): SimTruth {
    const registrations = new Map<HostId, HostRegistration>();
    for (const [id, config] of this.chairman.registrations) registrations.set(id, hostRegistration(id, config));
    const agents = new Map<HostId, AgentTruth>();
    for (const [id, a] of this.agents) agents.set(id, { endpoint: a.endpoint, state: a.state, roleLeafId: a.role?.id ?? null });
    return {
      tree: this.chairman.tree(this.root.endpoint),
      registrations,
      missing: new Set(this.chairman.missing),
      agents,
      chairman: { endpoint: this.chairman.endpoint, running: this.chairman.running, memberPath: this.chairman.memberPath },
      rootScheduler: {
        endpoint: this.root.endpoint,
        running: this.root.running,
        memberPath: this.root.memberPath,
        children: rootChildren(this.root),
      },
      counters: { ...this.chairman.counters },
    };
  }

  agent(id: HostId): Result<SimAgent, string> {
    const agent = this.agents.get(id);
    return agent ? ok(agent) : err(`no simulated agent ${id}`);
  }

  async startAgent(id: HostId): Promise<Result<void, string>> {
    const found = this.agent(id);
    if (!found.ok) return found;
    const started = await found.value.start();
    if (!started.ok || !this.chairman.running) return started;
    const registered = await this.registerOnce(found.value);
    if (!registered.ok) this.log(`agent ${id}: register after start: ${registered.error}`);
    await this.chairman.settled();
    return ok(undefined);
  }

  async startRootScheduler(): Promise<Result<void, string>> {
    const started = await this.root.start();
    if (!started.ok) return started;
    this.chairman.rootSchedulerRestarted();
    await this.chairman.settled();
    return ok(undefined);
  }

  async flapLeader(service: 'chairman' | 'root-scheduler', ms: number): Promise<Result<void, string>> {
    await (service === 'chairman' ? this.chairman.stop() : this.root.stop());
    await new Promise((r) => setTimeout(r, ms));
    return service === 'chairman' ? this.startChairman() : this.startRootScheduler();
  }

  async rewriteRole(owner: HostId): Promise<Result<void, string>> {
    const path = `${ROLES_PATH}/${owner}`;
    const value = await this.zk.data(path);
    if (!value.ok) return value;
    if (value.value === null) return err(`no ${path}`);
    const set = await this.zk.set(path, value.value);
    return set.ok ? (set.value === 'set' ? ok(undefined) : err(`no ${path}`)) : set;
  }

  async startChairman(): Promise<Result<void, string>> {
    const started = await this.chairman.start();
    if (!started.ok) return started;
    await this.chairman.settled();
    return ok(undefined);
  }

  async registerOrphanHost(id: HostId): Promise<Result<void, string>> {
    const port = await unusedPort(this.settings.host);
    if (!port.ok) return port;
    const config = fakeHostConfig(this.fleet, this.described++, id, { host: this.settings.host, port: port.value });
    return this.chairman.registerUnplaced(id, config);
  }

  async addSecondMember(service: PhotonService): Promise<Result<string, string>> {
    const port = await unusedPort(this.settings.host);
    if (!port.ok) return port;
    return addSecondMember(this.zk, service, { host: this.settings.host, port: port.value });
  }

  async stop(clean: boolean): Promise<void> {
    await this.chairman.stop();
    await this.root.stop();
    await mapPool([...this.agents.values()], 256, (a) => a.stop());
    if (clean) {
      for (const path of [SERVICES_PATH, ...LAYOUT_PARENTS.filter((p) => !p.startsWith(SERVICES_PATH))]) {
        const removed = await this.zk.removeTree(path);
        if (!removed.ok) this.log(`simulator: clean: ${removed.error}`);
      }
    }
    await this.zk.close();
  }

  api(timings: StartupTimings): SimulatedCluster {
    let stopping: Promise<void> | null = null;
    const agents = this.agents;
    return {
      zk: this.connectString,
      fanout: this.settings.fanout,
      get hostIds() {
        return [...agents.keys()];
      },
      chairman: this.chairman.endpoint,
      rootScheduler: this.root.endpoint,
      timings,
      truth: () => this.truth(),
      settled: () => this.chairman.settled(),
      addAgents: (count, o) => this.addAgents(count, o?.register ?? true),
      stopAgent: async (id) => {
        const found = this.agent(id);
        if (!found.ok) return found;
        await found.value.stop();
        return ok(undefined);
      },
      startAgent: (id) => this.startAgent(id),
      hangAgent: async (id) => {
        const found = this.agent(id);
        return found.ok ? found.value.hang() : found;
      },
      stopChairman: () => this.chairman.stop(),
      startChairman: () => this.startChairman(),
      stopRootScheduler: () => this.root.stop(),
      startRootScheduler: () => this.startRootScheduler(),
      divergeChairman: (hostId, toLeafId) => this.chairman.diverge(hostId, toLeafId),
      agentLoseRole: (id) => {
        const found = this.agent(id);
        if (found.ok) found.value.loseRole();
        return found.ok ? ok(undefined) : found;
      },
      agentHoldRole: (id, leafId) => {
        const found = this.agent(id);
        if (!found.ok) return found;
        const role = this.chairman.roleOf(leafId);
        if (!role) return err(`no leaf ${leafId} is placed`);
        found.value.holdRole(role);
        return ok(undefined);
      },
      agentReportHosts: (id, hostIds) => {
        const found = this.agent(id);
        return found.ok ? found.value.reportHosts(hostIds, this.chairman.endpointOf) : found;
      },
      delayChairmanPushes: (ms) => this.chairman.delayPushes(ms),
      writeCorruptValue: (path, bytes) => writeCorruptValue(this.zk, path, bytes),
      registerOrphanHost: (id) => this.registerOrphanHost(id),
      addSecondMember: (service) => this.addSecondMember(service),
      removeMember: (path) => this.zk.remove(path),
      reportMissing: (ids) => this.chairman.reportMissing(ids),
      reportResurrected: (ids) => this.chairman.reportResurrected(ids),
      flapLeader: (service, ms) => this.flapLeader(service, ms),
      rewriteRole: (owner) => this.rewriteRole(owner),
      stop: (o) => {
        stopping ??= this.stop(o?.clean ?? false);
        return stopping;
      },
    };
  }
}

function rootChildren(root: SimRootScheduler): RootChild[] {
  return (root.configuredRole().scheduler_children ?? []).map((c) => ({
    id: c.id,
    owner: c.owner_host ?? null,
    address: { host: c.address, port: c.port },
  }));
}

function show(e: Endpoint): string {
  return `${e.host}:${e.port}`;
}
