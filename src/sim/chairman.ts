// The simulated chairman: owns the scheduler tree, persists it to ZooKeeper and
// pushes roles with `configure`, like Photon's chairman.
//
// What it does on a change (registration, unregistration, restart): write
// /hosts/<id> (batched with other registrations of the moment; the RPC answers
// after that write), place the host, then
// in a coalesced flush (see CoalescingFlusher) rewrite the changed leaves'
// /roles/<owner> nodes, then configure the root scheduler with all leaves, then
// configure each changed leaf's owner with its role (and tell a replaced owner
// it owns nothing any more). Persisting before pushing means that once the
// root scheduler has been configured, the leaves it lists are in ZooKeeper.
//
// Its state (registrations, placement, missing set) survives stop/start, as if
// a new leader took over with the same view; a restarted chairman re-persists
// and re-pushes every leaf.
import { randomUUID } from 'node:crypto';
import Chairman from '../generated/thrift/Chairman.js';
import Host from '../generated/thrift/Host.js';
import photon from '../generated/thrift/photon_types.js';
import RootScheduler from '../generated/thrift/RootScheduler.js';
import { ROOT_SCHEDULER_ID, type Endpoint, type HostId, type SchedulerId } from '../model/ids.js';
import { err, ok, type Result } from '../model/result.js';
import type { SchedulerTree } from '../model/tree.js';
import { mapPool } from '../util/map-pool.js';
import { encodeBinary } from '../wire/thrift-binary.js';
import { startThriftServer, type RunningThriftServer } from '../wire/thrift-server.js';
import { BatchedCreates } from './batched-creates.js';
import { ChairmanHandler } from './chairman-handler.js';
import { CoalescingFlusher } from './coalescing-flusher.js';
import { Placement } from './placement.js';
import { chairmanSchedulers, leafRole, rootRole, schedulerTree } from './scheduler-roles.js';
import { joinService, type ServiceMember } from './service-member.js';
import { callService } from './thrift-call.js';
import { hostPath, missingPath, rolesPath } from './zk-paths.js';
import type { ZkSession } from './zk-session.js';

export interface ChairmanOptions {
  /** Session for /hosts, /roles and /missing writes. */
  zk: ZkSession;
  /** For the member's own session. */
  connectString: string;
  host: string;
  fanout: number;
  /** Where the root scheduler listens (the chairman configures it there). */
  rootScheduler: () => Endpoint;
  log: (line: string) => void;
  rpcTimeoutMs?: number;
  /** How long changes are collected before one flush. */
  flushDelayMs?: number;
  pushConcurrency?: number;
}

export interface ChairmanCounters {
  persistFailures: number;
  pushFailures: number;
  flushes: number;
}

/** Where a leaf's role was last persisted and pushed: its owner then, and that owner's address. */
interface LeafHome {
  owner: HostId;
  endpoint: Endpoint;
}

export class SimChairman {
  readonly placement: Placement;
  /** Registered hosts in registration order, as written to /hosts. */
  readonly registrations = new Map<HostId, photon.HostConfig>();
  /** Host and scheduler ids with a /missing node. */
  readonly missing = new Set<string>();
  readonly counters: ChairmanCounters = { persistFailures: 0, pushFailures: 0, flushes: 0 };

  private readonly homes = new Map<SchedulerId, LeafHome>();
  private readonly flusher: CoalescingFlusher<SchedulerId>;
  private readonly hostWrites: BatchedCreates;
  private readonly rpcTimeoutMs: number;
  private server: RunningThriftServer | null = null;
  /** Wait before pushing roles to agents (after persisting): rehearses settling. */
  private pushDelayMs = 0;
  private member: ServiceMember | null = null;
  private port = 0;

  constructor(private readonly options: ChairmanOptions) {
    this.placement = new Placement(options.fanout);
    this.hostWrites = new BatchedCreates(options.zk);
    this.rpcTimeoutMs = options.rpcTimeoutMs ?? 3_000;
    this.flusher = new CoalescingFlusher(
      options.flushDelayMs ?? 20,
      (keys) => this.flush(keys),
      (e) => options.log(`chairman: flush failed: ${e instanceof Error ? e.message : String(e)}`),
    );
  }

  get endpoint(): Endpoint {
    return { host: this.options.host, port: this.port };
  }

  get running(): boolean {
    return this.server !== null;
  }

  get memberPath(): string | null {
    return this.member?.path ?? null;
  }

  /** Listens (on the same port as before after a stop) and joins /services/chairman. */
  async start(): Promise<Result<void, string>> {
    if (this.server) return ok(undefined);
    let server: RunningThriftServer;
    try {
      server = await startThriftServer({
        host: this.options.host,
        port: this.port,
        services: { Chairman: new Chairman.Processor(new ChairmanHandler(this)) },
      });
    } catch (e) {
      return err(`chairman: cannot listen on ${this.options.host}:${this.port}: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.port = server.port;
    const member = await joinService(this.options.connectString, 'chairman', this.endpoint);
    if (!member.ok) {
      await server.close();
      return err(`chairman: ${member.error}`);
    }
    this.server = server;
    this.member = member.value;
    this.flusher.mark(ROOT_SCHEDULER_ID);
    for (const leaf of this.placement.leaves()) this.flusher.mark(leaf.id);
    return ok(undefined);
  }

  /** Leaves /services/chairman and stops listening, after the flush in progress. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await this.flusher.idle();
    this.server = null;
    const member = this.member;
    this.member = null;
    await Promise.all([server.close(), member?.leave()]);
  }

  /** Resolves once every change so far is persisted and pushed. */
  settled(): Promise<void> {
    return this.flusher.idle();
  }

  /** The root scheduler came back empty: configure it again. */
  rootSchedulerRestarted(): void {
    if (this.running) this.flusher.mark(ROOT_SCHEDULER_ID);
  }

  async registerHost(id: HostId, config: photon.HostConfig): Promise<Result<void, string>> {
    if (id === '') return err('register_host: empty host id');
    const value = encodeBinary(config);
    const written = this.registrations.has(id)
      ? await this.options.zk.put(hostPath(id), value, 'persistent', true)
      : await this.hostWrites.put(hostPath(id), value);
    if (!written.ok) return written;
    this.registrations.set(id, config);
    const current = this.placement.leafIdOf(id);
    if (current !== null) {
      // A re-registering agent (restarted, maybe moved): its leaf is rewritten and pushed again.
      this.markLeaf(current);
      return ok(undefined);
    }
    const placed = this.placement.place(id, randomUUID);
    if (!placed.ok) return placed;
    this.markLeaf(placed.value.leafId);
    return ok(undefined);
  }

  /**
   * Writes /hosts/<id> and records the registration without placing the host:
   * what a chairman that died between the two steps leaves behind.
   */
  async registerUnplaced(id: HostId, config: photon.HostConfig): Promise<Result<void, string>> {
    if (this.placement.has(id)) return err(`host ${id} is already placed in leaf ${this.placement.leafIdOf(id)}`);
    const written = await this.options.zk.put(hostPath(id), encodeBinary(config), 'persistent');
    if (!written.ok) return written;
    this.registrations.set(id, config);
    return ok(undefined);
  }

  async unregisterHost(id: HostId): Promise<Result<void, string>> {
    const removed = await this.options.zk.remove(hostPath(id));
    if (!removed.ok) return removed;
    this.registrations.delete(id);
    const change = this.placement.remove(id);
    if (change) this.markLeaf(change.leafId);
    return ok(undefined);
  }

  async reportMissing(ids: readonly string[]): Promise<Result<void, string>> {
    const created = await Promise.all(
      ids.map(async (id) => {
        const r = await this.options.zk.create(missingPath(id), Buffer.alloc(0), 'persistent');
        if (r.ok) this.missing.add(id);
        return r;
      }),
    );
    return firstError(created);
  }

  async reportResurrected(ids: readonly string[]): Promise<Result<void, string>> {
    const removed = await Promise.all(
      ids.map(async (id) => {
        const r = await this.options.zk.remove(missingPath(id));
        if (r.ok) this.missing.delete(id);
        return r;
      }),
    );
    return firstError(removed);
  }

  /**
   * Moves a host to another leaf in memory only: nothing is persisted or pushed
   * now. A later change to either leaf (or a chairman restart) persists it.
   */
  diverge(host: HostId, toLeafId: SchedulerId): Result<void, string> {
    const moved = this.placement.move(host, toLeafId);
    return moved.ok ? ok(undefined) : moved;
  }

  /** From now on, roles reach agents `ms` after /roles is written (0: at once). */
  delayPushes(ms: number): void {
    this.pushDelayMs = ms;
  }

  /** The role the chairman would push for a leaf; null when no such leaf is placed. */
  roleOf(leafId: SchedulerId): photon.SchedulerRole | null {
    const leaf = this.placement.leaf(leafId);
    return leaf ? leafRole(leaf, this.endpointOf) : null;
  }

  /** The get_schedulers answer: the root entry, then one entry per leaf. */
  schedulers(): photon.SchedulerEntry[] {
    return chairmanSchedulers(this.placement.leaves(), this.endpointOf);
  }

  tree(rootAddress: Endpoint | null): SchedulerTree {
    return schedulerTree(this.placement.leaves(), this.endpointOf, rootAddress);
  }

  readonly endpointOf = (host: HostId): Endpoint | null => {
    const config = this.registrations.get(host);
    return config ? { host: config.address.host, port: config.address.port } : null;
  };

  private markLeaf(leafId: SchedulerId): void {
    if (this.running) this.flusher.mark(leafId);
  }

  private async flush(keys: Set<SchedulerId>): Promise<void> {
    this.counters.flushes++;
    const leafIds = [...keys].filter((k) => k !== ROOT_SCHEDULER_ID);
    const moves = leafIds.map((id) => this.rehome(id));
    // A replaced owner's node is deleted (and the host told) unless it now holds another leaf's role.
    const owners = new Set([...this.homes.values()].map((h) => h.owner));
    const replaced = (m: LeafMove): LeafHome | null =>
      m.before && m.before.owner !== m.after?.owner && !owners.has(m.before.owner) ? m.before : null;
    await this.persist(moves, replaced);
    await this.pushRoot();
    await this.pushLeaves(moves, replaced);
  }

  /** Records where a changed leaf now lives; the previous home is kept for cleanup and notice. */
  private rehome(leafId: SchedulerId): LeafMove {
    const before = this.homes.get(leafId) ?? null;
    const leaf = this.placement.leaf(leafId);
    const owner = leaf?.hosts[0];
    const endpoint = owner === undefined ? null : this.endpointOf(owner);
    if (!leaf || owner === undefined || !endpoint) {
      this.homes.delete(leafId);
      return { leafId, before, after: null, role: null };
    }
    const after = { owner, endpoint };
    this.homes.set(leafId, after);
    return { leafId, before, after, role: leafRole(leaf, this.endpointOf) };
  }

  private async persist(moves: readonly LeafMove[], replaced: (m: LeafMove) => LeafHome | null): Promise<void> {
    const writes: Array<Promise<Result<void, string>>> = [];
    for (const m of moves) {
      const gone = replaced(m);
      if (gone) writes.push(this.options.zk.remove(rolesPath(gone.owner)));
      if (m.after && m.role) {
        const value = encodeBinary(new photon.Roles({ schedulers: [m.role] }));
        writes.push(this.options.zk.put(rolesPath(m.after.owner), value, 'persistent', m.before?.owner === m.after.owner));
      }
    }
    for (const r of await Promise.all(writes)) {
      if (r.ok) continue;
      this.counters.persistFailures++;
      this.options.log(`chairman: persist: ${r.error}`);
    }
  }

  private async pushRoot(): Promise<void> {
    const role = rootRole(this.placement.leaves(), this.endpointOf);
    const request = new photon.ConfigureRequest({ scheduler: ROOT_SCHEDULER_ID, roles: new photon.Roles({ schedulers: [role] }) });
    const pushed = await callService(this.options.rootScheduler(), 'RootScheduler', RootScheduler.Client, (c) => c.configure(request), this.rpcTimeoutMs);
    this.notePush('root scheduler', pushed);
  }

  private async pushLeaves(moves: readonly LeafMove[], replaced: (m: LeafMove) => LeafHome | null): Promise<void> {
    const pushes: Array<{ to: LeafHome; leafId: SchedulerId; role: photon.SchedulerRole | null }> = [];
    for (const m of moves) {
      if (m.after && m.role) pushes.push({ to: m.after, leafId: m.leafId, role: m.role });
      const gone = replaced(m);
      if (gone) pushes.push({ to: gone, leafId: m.leafId, role: null });
    }
    if (this.pushDelayMs > 0 && pushes.length > 0) await new Promise((r) => setTimeout(r, this.pushDelayMs));
    await mapPool(pushes, this.options.pushConcurrency ?? 64, async (p) => {
      const request = new photon.ConfigureRequest({
        scheduler: p.leafId,
        roles: new photon.Roles({ schedulers: p.role ? [p.role] : [] }),
        host_id: p.to.owner,
      });
      const pushed = await callService(p.to.endpoint, 'Host', Host.Client, (c) => c.configure(request), this.rpcTimeoutMs);
      this.notePush(`agent ${p.to.owner}`, pushed);
    });
  }

  private notePush(target: string, pushed: Result<photon.ConfigureResponse, string>): void {
    if (pushed.ok && pushed.value.result === photon.ConfigureResultCode.OK) return;
    this.counters.pushFailures++;
    const why = pushed.ok ? `answered ${photon.ConfigureResultCode[pushed.value.result]} ${pushed.value.error ?? ''}` : pushed.error;
    this.options.log(`chairman: configure ${target}: ${why}`);
  }
}

interface LeafMove {
  leafId: SchedulerId;
  before: LeafHome | null;
  /** null: the leaf is gone. */
  after: LeafHome | null;
  role: photon.SchedulerRole | null;
}

function firstError(results: ReadonlyArray<Result<unknown, string>>): Result<void, string> {
  for (const r of results) if (!r.ok) return r;
  return ok(undefined);
}
