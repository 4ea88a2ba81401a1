// Observations of a cluster in which a share of the hosts changes between
// collections, built from one real observation (pure). Each changed host
// gets one of: a status flip (half), entering or leaving /missing (a fifth),
// a new HostConfig value (15%), or a move to another leaf in ZooKeeper, the
// chairman and the owners' agents (15%: a real chairman pushes the new
// configuration to both owners, so agents follow). Leaf owners never move.
import type { AgentView } from '../../src/model/agent-view.js';
import type { Observation } from '../../src/model/observation.js';
import { ok } from '../../src/model/result.js';
import type { LeafNode, SchedulerTree } from '../../src/model/tree.js';
import type { Prng } from '../history/prng.js';

export class ChurnedObservations {
  private readonly offline = new Set<string>();
  private readonly missing = new Set<string>();
  private readonly memory = new Map<string, number>();
  private readonly movedTo = new Map<string, string>();
  private readonly movable: string[];
  private readonly leafIds: string[];

  constructor(
    private readonly base: Observation,
    private readonly prng: Prng,
  ) {
    const tree = this.zkTree();
    this.leafIds = tree.leaves.map((l) => l.id);
    this.movable = tree.leaves.flatMap((l) => l.hosts.filter((h) => h.id !== l.owner).map((h) => h.id));
  }

  /** The next collection: `share` of the hosts (0.01 = 1%) changed since the previous one. */
  next(share: number, at: number): Observation {
    const changed = Math.round(share * this.movable.length);
    for (let i = 0; i < changed; i++) this.change(this.prng.pick(this.movable));
    return this.build(at);
  }

  private change(host: string): void {
    const r = this.prng.next();
    if (r < 0.5) toggle(this.offline, host);
    else if (r < 0.7) toggle(this.missing, host);
    else if (r < 0.85) this.memory.set(host, this.memory.get(host) === 1 ? 2 : 1);
    else this.movedTo.set(host, this.prng.pick(this.leafIds));
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
    return { ...b, startedAt: at, finishedAt: at + (b.finishedAt - b.startedAt), roles, chairman, hosts, status, missing, agents };
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
