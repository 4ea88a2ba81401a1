// Observations of a cluster in which a share of the hosts changes between
// collections, built from one real observation (pure). Each changed host
// gets one of: a status flip (half), entering or leaving /missing (a fifth),
// a new HostConfig value (15%), or a move to another leaf in ZooKeeper, the
// chairman and the owners' agents (15%: a real chairman pushes the new
// configuration to both owners, so agents follow). Leaf owners never move.
// Each ZooKeeper write behind a change moves its node's Stat as the ensemble
// would (a /missing child created or deleted, a /hosts or /roles node
// rewritten), so the churn pays for the Stat versions a real collection adds.
import type { AgentView } from '../../src/model/agent-view.js';
import type { Observation } from '../../src/model/observation.js';
import { ok } from '../../src/model/result.js';
import type { ZkStat } from '../../src/model/zk-stat.js';
import type { LeafNode, SchedulerTree } from '../../src/model/tree.js';
import type { Prng } from '../history/prng.js';

export class ChurnedObservations {
  private readonly offline = new Set<string>();
  private readonly missing = new Set<string>();
  private readonly memory = new Map<string, number>();
  private readonly movedTo = new Map<string, string>();
  private readonly movable: string[];
  private readonly leafIds: string[];
  private readonly ownerOf = new Map<string, string>();
  private readonly leafOf = new Map<string, string>();
  private readonly stats: Map<string, ZkStat>;
  private zxid = 0x7f00000000;
  private now = 0;

  constructor(
    private readonly base: Observation,
    private readonly prng: Prng,
  ) {
    const tree = this.zkTree();
    this.leafIds = tree.leaves.map((l) => l.id);
    this.movable = tree.leaves.flatMap((l) => l.hosts.filter((h) => h.id !== l.owner).map((h) => h.id));
    for (const l of tree.leaves) {
      if (l.owner) this.ownerOf.set(l.id, l.owner);
      for (const h of l.hosts) this.leafOf.set(h.id, l.id);
    }
    this.stats = new Map(Object.entries(base.zkStats ?? {}));
  }

  /** The next collection: `share` of the hosts (0.01 = 1%) changed since the previous one. */
  next(share: number, at: number): Observation {
    this.now = at - 1000;
    const changed = Math.round(share * this.movable.length);
    for (let i = 0; i < changed; i++) this.change(this.prng.pick(this.movable));
    return this.build(at);
  }

  private change(host: string): void {
    const r = this.prng.next();
    if (r < 0.5) toggle(this.offline, host);
    else if (r < 0.7) {
      toggle(this.missing, host);
      this.zkChild('/missing', host, this.missing.has(host));
    } else if (r < 0.85) {
      this.memory.set(host, this.memory.get(host) === 1 ? 2 : 1);
      this.zkWrite(`/hosts/${host}`);
    } else {
      const to = this.prng.pick(this.leafIds);
      for (const leaf of [this.leafOf.get(host), to]) this.zkWrite(`/roles/${this.ownerOf.get(leaf ?? '')}`);
      this.movedTo.set(host, to);
      this.leafOf.set(host, to);
    }
  }

  private nextZxid(): string {
    return (++this.zxid).toString(16);
  }

  /** A node's data rewritten: its version and mzxid move. */
  private zkWrite(path: string): void {
    const s = this.stats.get(path);
    if (s) this.stats.set(path, { ...s, mtime: this.now, mzxid: this.nextZxid(), version: s.version + 1 });
  }

  /** A child created or deleted: its own Stat, and the parent's cversion and pzxid. */
  private zkChild(parent: string, child: string, created: boolean): void {
    const z = this.nextZxid();
    const path = `${parent}/${child}`;
    if (created) this.stats.set(path, { ctime: this.now, mtime: this.now, czxid: z, mzxid: z, pzxid: z, version: 0, cversion: 0, ephemeralOwner: '0' });
    else this.stats.delete(path);
    const p = this.stats.get(parent);
    if (p) this.stats.set(parent, { ...p, cversion: p.cversion + 1, pzxid: z });
  }

  private zkTree(): SchedulerTree {
    const r = this.base.roles.result;
    if (!r.ok) throw new Error('storage bench: the saved observation has no ZooKeeper tree');
    return r.value.tree;
  }

  private moveHosts(tree: SchedulerTree): SchedulerTree {
    const incoming = new Map<string, LeafNode['hosts']>();
    const leaves = tree.leaves.map((l) => ({
      ...l,
      hosts: l.hosts.filter((h) => {
        const to = this.movedTo.get(h.id);
        if (to === undefined || to === l.id) return true;
        incoming.set(to, [...(incoming.get(to) ?? []), h]);
        return false;
      }),
    }));
    for (const l of leaves) l.hosts.push(...(incoming.get(l.id) ?? []));
    return { ...tree, leaves };
  }

  private build(at: number): Observation {
    const b = this.base;
    const roles = b.roles.result.ok ? { ...b.roles, result: ok({ ...b.roles.result.value, tree: this.moveHosts(b.roles.result.value.tree) }) } : b.roles;
    const chairman = b.chairman.result.ok ? { ...b.chairman, result: ok(this.moveHosts(b.chairman.result.value)) } : b.chairman;
    const hosts = b.hosts.result.ok
      ? {
          ...b.hosts,
          result: ok({
            ...b.hosts.result.value,
            hosts: b.hosts.result.value.hosts.map((h) => {
              const m = this.memory.get(h.id);
              return m === undefined ? h : { ...h, memoryMb: m === 1 ? 131_072 : 1_048_576 };
            }),
          }),
        }
      : b.hosts;
    const status = b.status.result.ok
      ? {
          ...b.status,
          result: ok(
            Object.fromEntries(
              Object.entries(b.status.result.value).map(([id, p]) =>
                this.offline.has(id) ? [id, { ...p, status: 'OFFLINE' as const, message: 'connect: ECONNREFUSED' }] : [id, p],
              ),
            ),
          ),
        }
      : b.status;
    const missing = { ...b.missing, result: ok([...this.missing].sort()) };
    const agents = roles.result.ok && b.agents.result.ok ? { ...b.agents, result: ok(followRoles(b.agents.result.value, roles.result.value.tree)) } : b.agents;
    const zkStats = b.zkStats && Object.fromEntries(this.stats);
    return { ...b, startedAt: at, finishedAt: at + (b.finishedAt - b.startedAt), roles, chairman, hosts, status, missing, agents, zkStats };
  }
}

/** Each agent holding a role reports its leaf's hosts as /roles now lists them. */
function followRoles(views: readonly AgentView[], tree: SchedulerTree): AgentView[] {
  const hostsOf = new Map(tree.leaves.map((l) => [l.id, l.hosts.map((h) => h.id).sort()]));
  return views.map((v) => (v.state === 'role' && hostsOf.has(v.leafId) ? { ...v, hostIds: hostsOf.get(v.leafId)! } : v));
}

function toggle(set: Set<string>, x: string): void {
  if (set.has(x)) set.delete(x);
  else set.add(x);
}
