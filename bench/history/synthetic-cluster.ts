// A synthetic Photon cluster for the bench's generated history: hosts with
// addresses and registrations, leaves with owners, the missing set, probe
// status and service members. Every change records the facts it changes,
// per source, as canonical JSON exactly as the collector would record them
// (src/snapshot/fact.ts); flush() turns what changed since a source was
// last read into version rows for the sources read ok. A source that is
// unknown in a snapshot writes nothing and catches up when read again.
import type { Endpoint } from '../../src/model/ids.js';
import { canonicalJson } from '../../src/snapshot/canonical-json.js';
import { factKey, splitFactKey, type FactKind, type FactValues, type RegistrationValue } from '../../src/snapshot/fact.js';
import { SOURCES, type SourceName } from '../../src/snapshot/source-name.js';
import type { WrittenVersion } from '../../src/store/insert-snapshot-rows.js';
import type { Prng } from './prng.js';
import type { SyntheticZk } from './synthetic-zk.js';

export type Service = 'chairman' | 'root-scheduler';

interface Host {
  id: string;
  address: Endpoint;
  leaf: string;
  registration: RegistrationValue;
  online: boolean;
}

interface Leaf {
  id: string;
  owner: string;
  hosts: Set<string>;
}

interface Member {
  name: string;
  address: Endpoint;
}

const AGENT_PORT = 8835;
const ZONES = ['az-1', 'az-2', 'az-3', 'az-4'];
const ESX_VERSIONS = ['6.0.0', '6.0.0-u1', '6.0.0-u2', '6.5.0'];

export class SyntheticCluster {
  readonly hosts = new Map<string, Host>();
  readonly leaves = new Map<string, Leaf>();
  readonly missing = new Set<string>();
  /** Members under /services/<service>; exactly one is a leader. */
  readonly members: Record<Service, Member[]>;
  private online = 0;
  private ids: string[] | null = null;
  /** Leaves whose owner's agent view changed since the last flush. */
  private readonly agentsToPublish = new Set<string>();
  private nextAddress = 0;
  private readonly deploymentId: string;
  private readonly shared: RegistrationValue['datastores'];
  private readonly pending = new Map<SourceName, Map<string, string | null>>(SOURCES.map((s) => [s, new Map()]));
  private readonly stored = new Map<SourceName, Map<string, string>>(SOURCES.map((s) => [s, new Map()]));

  constructor(
    private readonly prng: Prng,
    readonly fanout: number,
    hostCount: number,
    /** ZooKeeper's records of the nodes these facts are read from. */
    readonly zk: SyntheticZk,
  ) {
    for (const path of ['/services/chairman', '/services/root-scheduler', '/roles', '/hosts', '/missing']) zk.create(path);
    this.deploymentId = prng.uuid();
    this.shared = [
      { id: prng.uuid(), name: 'vsan-ds-01', type: 'VSAN', tags: ['SHARED_VMFS'] },
      { id: prng.uuid(), name: 'nfs-images', type: 'NFS_41', tags: ['NFS'] },
    ];
    this.members = { chairman: [], 'root-scheduler': [] };
    this.addMember('chairman', { host: '10.0.0.1', port: 13000 });
    this.addMember('root-scheduler', { host: '10.0.0.2', port: 13010 });
    this.setRootStatus('ONLINE');
    for (let i = 0; i < hostCount; i++) this.register();
  }

  // ---- reading the truth ----

  leader(service: Service): Endpoint | null {
    const m = this.members[service];
    return m.length === 1 ? m[0]!.address : null;
  }

  counts(): { leaves: number; hosts: number; missing: number; online: number } {
    return { leaves: this.leaves.size, hosts: this.hosts.size, missing: this.missing.size, online: this.online };
  }

  /** Every host id, as an array to pick from (rebuilt only after a registration or decommission). */
  hostIds(): readonly string[] {
    this.ids ??= [...this.hosts.keys()];
    return this.ids;
  }

  isOwner(host: string): boolean {
    const h = this.hosts.get(host);
    return h !== undefined && this.leaves.get(h.leaf)?.owner === host;
  }

  isOnline(host: string): boolean {
    return this.hosts.get(host)?.online ?? false;
  }

  address(host: string): Endpoint {
    return this.hosts.get(host)!.address;
  }

  /** A leaf other than `except` with room for one more host, if any. */
  leafWithRoom(except?: string): string | null {
    for (const leaf of this.leaves.values()) if (leaf.id !== except && leaf.hosts.size < this.fanout) return leaf.id;
    return null;
  }

  /** Facts of `source` as last flushed (what the store holds at its head): fact key → canonical JSON. */
  storedState(source: SourceName): ReadonlyMap<string, string> {
    return this.stored.get(source)!;
  }

  // ---- changes ----

  /** A new agent registers: /hosts, a place in a leaf with room (or a new leaf it owns), ONLINE. */
  register(): string {
    const id = this.prng.uuid();
    const n = this.nextAddress++;
    const address = { host: `10.${1 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`, port: AGENT_PORT };
    const registration = this.newRegistration(n, address);
    const leafId = this.leafWithRoom() ?? this.newLeaf(id);
    this.hosts.set(id, { id, address, leaf: leafId, registration, online: false });
    this.ids = null;
    this.leaves.get(leafId)!.hosts.add(id);
    this.agentsToPublish.add(leafId);
    this.set('zk.hosts', 'registration', id, registration);
    this.place(id, leafId, ['zk.roles', 'chairman']);
    if (this.leaves.get(leafId)!.owner === id) this.publishLeaf(leafId);
    this.setStatus(id, true);
    return id;
  }

  /** An agent leaves for good (never a leaf owner here): every source forgets it. */
  decommission(host: string): void {
    const h = this.hosts.get(host)!;
    this.leaves.get(h.leaf)!.hosts.delete(host);
    this.agentsToPublish.add(h.leaf);
    if (h.online) this.online--;
    this.hosts.delete(host);
    this.ids = null;
    this.missing.delete(host);
    for (const source of ['zk.roles', 'chairman'] as const) this.set(source, 'placement', host, null);
    this.set('zk.hosts', 'registration', host, null);
    this.set('zk.missing', 'missing', host, null);
    this.set('status', 'status', host, null);
  }

  /** Moves a (non-owner) host in the truth; place() records which views see it, and when. */
  move(host: string, toLeaf: string): void {
    const h = this.hosts.get(host)!;
    this.leaves.get(h.leaf)!.hosts.delete(host);
    this.leaves.get(toLeaf)!.hosts.add(host);
    this.agentsToPublish.add(h.leaf).add(toLeaf);
    h.leaf = toLeaf;
  }

  /** Records where `host` is placed now, as seen by `sources`. */
  place(host: string, leaf: string, sources: readonly ('zk.roles' | 'chairman')[]): void {
    const address = this.hosts.get(host)?.address ?? null;
    for (const source of sources) this.set(source, 'placement', host, { leaf, address });
  }

  setStatus(host: string, online: boolean): void {
    const h = this.hosts.get(host)!;
    if (h.online !== online) this.online += online ? 1 : -1;
    h.online = online;
    const message = online ? null : `connect ${h.address.host}:${h.address.port}: connect ECONNREFUSED ${h.address.host}:${h.address.port}`;
    this.set('status', 'status', host, { status: online ? 'ONLINE' : 'OFFLINE', address: h.address, message });
  }

  setRootStatus(status: 'ONLINE' | 'OFFLINE' | 'UNKNOWN'): void {
    const address = this.leader('root-scheduler');
    const message = status === 'OFFLINE' && address ? `connect ${address.host}:${address.port}: connect ECONNREFUSED ${address.host}:${address.port}` : null;
    this.set('status', 'status', 'ROOT', { status: address ? status : 'UNKNOWN', address, message });
  }

  setMissing(host: string, present: boolean): void {
    if (present) this.missing.add(host);
    else this.missing.delete(host);
    this.set('zk.missing', 'missing', host, present ? true : null);
  }

  /** An ESX upgrade, a datastore or memory change: a new /hosts value. */
  reconfigure(host: string): void {
    const h = this.hosts.get(host)!;
    const r = { ...h.registration };
    if (this.prng.chance(0.5)) r.esxVersion = this.prng.pick(ESX_VERSIONS);
    else r.memoryMb = (r.memoryMb ?? 262_144) === 262_144 ? 524_288 : 262_144;
    h.registration = r;
    this.set('zk.hosts', 'registration', host, r);
  }

  /** A /hosts node that does not decode: its error is a fact; the registration stays as last known. */
  setCorrupt(host: string, corrupt: boolean): void {
    const value = corrupt ? { kind: 'decode' as const, message: 'HostConfig: field 4 (address) has type string, expected struct' } : null;
    this.set('zk.hosts', 'node_error', `/hosts/${host}`, value);
  }

  addMember(service: Service, address: Endpoint): void {
    const member = { name: `node-${this.prng.uuid()}`, address };
    this.members[service].push(member);
    this.set('zk.services', 'member', `${service}/${member.name}`, { address, error: null });
  }

  removeOldestMember(service: Service): void {
    const [gone] = this.members[service].splice(0, 1);
    if (gone) this.set('zk.services', 'member', `${service}/${gone.name}`, null);
  }

  /**
   * Version rows for every fact that changed since each source read ok was
   * last flushed. Status facts of nodes that disappeared are kept while the
   * node universe is unknown (as the collector does).
   */
  flush(ok: ReadonlySet<SourceName>, universeKnown: boolean): WrittenVersion[] {
    const out: WrittenVersion[] = [];
    if (ok.has('agents')) this.publishAgents();
    for (const source of SOURCES) {
      if (!ok.has(source)) continue;
      const pending = this.pending.get(source)!;
      const stored = this.stored.get(source)!;
      for (const [key, value] of pending) {
        if (value === null && source === 'status' && !universeKnown) continue;
        pending.delete(key);
        if ((stored.get(key) ?? null) === value) continue;
        const { kind, entity } = splitFactKey(key);
        out.push({ source, kind, entity, value });
        if (value === null) stored.delete(key);
        else stored.set(key, value);
      }
    }
    return out;
  }

  // ---- internals ----

  /** Each owner's agent holds its leaf with the true host list (the agents source, owners mode). */
  private publishAgents(): void {
    for (const leafId of this.agentsToPublish) {
      const leaf = this.leaves.get(leafId);
      if (leaf) this.set('agents', 'agent_role', leaf.owner, { leaf: leafId, parent: 'ROOT', hosts: [...leaf.hosts].sort() });
    }
    this.agentsToPublish.clear();
  }

  private set<K extends FactKind>(source: SourceName, kind: K, entity: string, value: FactValues[K] | null): void {
    const key = factKey(kind, entity);
    const pending = this.pending.get(source)!;
    const before = pending.has(key) ? pending.get(key)! : (this.stored.get(source)!.get(key) ?? null);
    pending.set(key, value === null ? null : canonicalJson(value));
    this.writeZk(source, kind, entity, value !== null, before);
  }

  /** The ZooKeeper write behind a fact of a ZooKeeper source (`before`: the fact's last value, canonical JSON). */
  private writeZk(source: SourceName, kind: FactKind, entity: string, holds: boolean, before: string | null): void {
    const zk = this.zk;
    if (source === 'zk.hosts' && kind === 'registration') {
      if (holds) zk.create(`/hosts/${entity}`, false, 700);
      else zk.delete(`/hosts/${entity}`);
    } else if (source === 'zk.hosts' && kind === 'node_error') zk.setData(entity, 300);
    else if (source === 'zk.missing') {
      if (holds) zk.create(`/missing/${entity}`);
      else zk.delete(`/missing/${entity}`);
    } else if (source === 'zk.services') {
      if (holds) zk.create(`/services/${entity}`, true, 60);
      else zk.delete(`/services/${entity}`);
    } else if (source === 'zk.roles' && kind === 'leaf' && holds) zk.create(`/roles/${this.leaves.get(entity)!.owner}`, false, this.rolesBytes(entity));
    else if (source === 'zk.roles' && kind === 'placement') {
      // A move rewrites both leaves' /roles nodes: the one it left and the one it joined.
      const left = before === null ? null : (JSON.parse(before) as { leaf: string }).leaf;
      const joined = holds ? (JSON.parse(this.pending.get(source)!.get(factKey(kind, entity))!) as { leaf: string }).leaf : null;
      for (const leaf of new Set([left, joined])) {
        const owner = leaf === null ? undefined : this.leaves.get(leaf)?.owner;
        if (owner !== undefined && zk.has(`/roles/${owner}`)) zk.setData(`/roles/${owner}`, this.rolesBytes(leaf!));
      }
    }
  }

  /** About the size of a /roles value (a leaf with its hosts, Thrift binary). */
  private rolesBytes(leaf: string): number {
    return 80 + 70 * (this.leaves.get(leaf)?.hosts.size ?? 0);
  }

  private newLeaf(owner: string): string {
    const id = this.prng.uuid();
    this.leaves.set(id, { id, owner, hosts: new Set() });
    return id;
  }

  /** A leaf's own facts: in /roles, in the chairman's tree, and as a child of the root scheduler. */
  private publishLeaf(leafId: string): void {
    const leaf = this.leaves.get(leafId)!;
    const value = { owner: leaf.owner, address: this.hosts.get(leaf.owner)!.address };
    this.set('zk.roles', 'leaf', leafId, value);
    this.set('chairman', 'leaf', leafId, value);
    this.set('root', 'child', leafId, value);
  }

  private newRegistration(n: number, address: Endpoint): RegistrationValue {
    return {
      address,
      availabilityZone: ZONES[n % ZONES.length]!,
      datastores: [...this.shared, { id: this.prng.uuid(), name: `datastore-local-${n + 1}`, type: 'LOCAL_VMFS', tags: [] }],
      networks: [
        { id: 'VM Network', types: ['VM'] },
        { id: 'Management Network', types: ['MANAGEMENT', 'VMOTION'] },
      ],
      imageDatastoreIds: [this.shared[1]!.id],
      managementOnly: null,
      memoryMb: n % 3 === 0 ? 524_288 : 262_144,
      cpuCount: n % 2 === 0 ? 48 : 32,
      esxVersion: ESX_VERSIONS[0]!,
      deploymentId: this.deploymentId,
    };
  }
}
