// The bench's synthetic history: a cluster of `hosts` agents (fanout 32)
// collected every 5 minutes for `snapshots` collections, with the churn of a
// living cluster. Produces one SnapshotDelta per collection (what the
// collector would have recorded); the caller decides where it goes (the
// store, through writeSnapshotDelta, or the naive reference).
//
// Churn per 5-minute collection (the rates are expectations):
// - transient probe failures: 0.8 hosts go OFFLINE for 1-3 collections;
// - missing episodes: 2% chance one of 40 flapping hosts goes OFFLINE, is
//   reported in /missing from the next collection for 1-12 collections,
//   comes back ONLINE and leaves /missing one collection later; 0.4% chance a
//   host has a long episode (1-24 hours);
// - a host moves between leaves 0.2% (the chairman sees it one collection
//   before /roles does: a short drift), an ESX upgrade or memory change 0.3%,
//   a new host registers 0.05%, one is decommissioned 0.05%, a /hosts node is
//   unreadable for 1-6 collections 0.02%;
// - a chairman or root-scheduler leader change 0.02% each (two members for one
//   collection: no leader, that source unknown), a chairman outage 0.3%
//   (1-3 collections), a root-scheduler outage 0.2% (1-2; its probe OFFLINE),
//   a /hosts read timeout 0.05%, ZooKeeper unreachable 0.05% (1-2: every source
//   unknown).
// Each ZooKeeper write behind those changes also records its node's Stat and
// what a daemon's watches saw in between (a ZooKeeper outage is a gap).
import type { SourceError } from '../../src/model/source-error.js';
import { SOURCES, type SourceName } from '../../src/snapshot/source-name.js';
import type { DeltaOutcome, SnapshotDelta } from '../../src/store/write-snapshot-delta.js';
import { Prng } from './prng.js';
import { SyntheticCluster, type Service } from './synthetic-cluster.js';
import { SyntheticZk } from './synthetic-zk.js';

/** Bump when the history it generates changes: cached histories of another version are regenerated. */
// 2: the agents source (each leaf owner's own view) is written too.
// 3: ZooKeeper's records too: the Stat of each node that changed, and what a
//    daemon's watcher saw between two collections (synthetic-zk.ts).
export const GENERATOR_VERSION = 3;

export interface HistorySpec {
  hosts: number;
  snapshots: number;
  seed: number;
  fanout: number;
  /** First collection, ms since the epoch. */
  startAt: number;
  stepMs: number;
}

export function historySpec(hosts: number, snapshots: number): HistorySpec {
  return { hosts, snapshots, seed: 20261125, fanout: 32, startAt: Date.UTC(2025, 11, 1), stepMs: 300_000 };
}

type Outage = 'zk' | 'chairman' | 'root' | 'hosts-read';

const FLAPPERS = 40;

class Churn {
  private readonly at = new Map<number, (() => void)[]>();
  /** Hosts with a change in flight: no second one starts until it ends. */
  private readonly busy = new Set<string>();
  private readonly outages = new Map<Outage, number>();
  private readonly flappers: string[];
  private n = 0;

  constructor(
    private readonly prng: Prng,
    private readonly cluster: SyntheticCluster,
  ) {
    const plain = [...cluster.hosts.keys()].filter((h) => !cluster.isOwner(h));
    this.flappers = Array.from({ length: Math.min(FLAPPERS, plain.length) }, (_, i) => plain[Math.floor((i * plain.length) / FLAPPERS)]!);
  }

  /** Advances to collection `n`: scheduled changes land, new ones start. */
  step(n: number): void {
    this.n = n;
    for (const fn of this.at.get(n) ?? []) fn();
    this.at.delete(n);
    for (const [outage, until] of this.outages) if (until < n) this.endOutage(outage);
    const p = this.prng;
    for (let k = p.poisson(0.8); k > 0; k--) this.transientOffline();
    if (p.chance(0.02)) this.missingEpisode(p.pick(this.flappers), 1 + p.int(12));
    if (p.chance(0.004)) this.missingEpisode(this.anyHost(), 12 + p.int(277));
    if (p.chance(0.002)) this.moveHost();
    if (p.chance(0.003)) this.withHost((h) => this.cluster.reconfigure(h));
    if (p.chance(0.0005)) this.cluster.register();
    if (p.chance(0.0005)) this.withHost((h) => this.cluster.decommission(h), true);
    if (p.chance(0.0002)) this.withHost((h) => this.corruptFor(h, 1 + p.int(6)));
    if (p.chance(0.0002)) this.leaderChange('chairman');
    if (p.chance(0.0002)) this.leaderChange('root-scheduler');
    if (p.chance(0.003)) this.startOutage('chairman', 1 + p.int(3));
    if (p.chance(0.002)) this.startOutage('root', 1 + p.int(2));
    if (p.chance(0.0005)) this.startOutage('hosts-read', 1);
    if (p.chance(0.0005)) this.startOutage('zk', 1 + p.int(2));
  }

  down(outage: Outage): boolean {
    return this.outages.has(outage);
  }

  private later(after: number, fn: () => void): void {
    const n = this.n + after;
    const list = this.at.get(n) ?? [];
    list.push(fn);
    this.at.set(n, list);
  }

  private anyHost(): string {
    for (;;) {
      const h = this.prng.pick(this.cluster.hostIds());
      if (!this.cluster.isOwner(h)) return h;
    }
  }

  /** Runs `fn` on a random idle non-owner host (skipped when the pick is busy). */
  private withHost(fn: (h: string) => void, removes = false): void {
    const h = this.anyHost();
    if (this.busy.has(h) || (removes && this.flappers.includes(h))) return;
    fn(h);
  }

  private hold(h: string, forCollections: number, end: () => void): void {
    this.busy.add(h);
    this.later(forCollections, () => {
      end();
      this.busy.delete(h);
    });
  }

  private transientOffline(): void {
    this.withHost((h) => {
      this.cluster.setStatus(h, false);
      this.hold(h, 1 + this.prng.int(3), () => this.cluster.setStatus(h, true));
    });
  }

  /** The host goes down now, is reported missing from the next collection, comes back after `length`. */
  private missingEpisode(h: string, length: number): void {
    if (this.busy.has(h) || !this.cluster.hosts.has(h)) return;
    this.cluster.setStatus(h, false);
    this.later(1, () => this.cluster.setMissing(h, true));
    this.later(1 + length, () => this.cluster.setStatus(h, true));
    this.hold(h, 2 + length, () => this.cluster.setMissing(h, false));
  }

  private moveHost(): void {
    this.withHost((h) => {
      const from = this.cluster.hosts.get(h)!.leaf;
      const to = this.cluster.leafWithRoom(from);
      if (!to) return;
      this.cluster.move(h, to);
      this.cluster.place(h, to, ['chairman']);
      this.hold(h, 1, () => this.cluster.place(h, to, ['zk.roles']));
    });
  }

  private corruptFor(h: string, length: number): void {
    this.cluster.setCorrupt(h, true);
    this.hold(h, length, () => this.cluster.setCorrupt(h, false));
  }

  /** A new instance takes over: two members for one collection (no leader), then the old one's node goes. */
  private leaderChange(service: Service): void {
    const old = this.cluster.leader(service);
    if (!old) return;
    this.cluster.addMember(service, { host: old.host, port: old.port + 1 });
    if (service === 'root-scheduler') this.cluster.setRootStatus('UNKNOWN');
    this.later(1, () => {
      this.cluster.removeOldestMember(service);
      if (service === 'root-scheduler') this.cluster.setRootStatus('ONLINE');
    });
  }

  private startOutage(outage: Outage, length: number): void {
    if (this.outages.has(outage)) return;
    this.outages.set(outage, this.n + length - 1);
    if (outage === 'root') this.cluster.setRootStatus('OFFLINE');
  }

  private endOutage(outage: Outage): void {
    this.outages.delete(outage);
    if (outage === 'root') this.cluster.setRootStatus('ONLINE');
  }
}

/** Which sources fail in this collection, and why (as the collector would say). */
function failures(churn: Churn, cluster: SyntheticCluster): Map<SourceName, SourceError> {
  const failed = new Map<SourceName, SourceError>();
  if (churn.down('zk')) {
    const down: SourceError = { kind: 'timeout', message: 'no ZooKeeper session with zk1:2181,zk2:2181,zk3:2181/photon within 5000 ms (server down, refusing or silent)' };
    for (const s of ['zk.services', 'zk.roles', 'zk.hosts', 'zk.missing'] as const) failed.set(s, down);
    failed.set('chairman', { kind: 'timeout', message: `chairman address unknown: ZooKeeper unreadable (${down.message})` });
    failed.set('root', { kind: 'timeout', message: `root-scheduler address unknown: ZooKeeper unreadable (${down.message})` });
    failed.set('status', { kind: 'unreachable', message: 'node list unknown: ZooKeeper and chairman both unreadable' });
    failed.set('agents', { kind: 'timeout', message: `agents to ask unknown: /roles not read (${down.message})` });
    return failed;
  }
  if (churn.down('hosts-read')) failed.set('zk.hosts', { kind: 'timeout', message: 'read /hosts/…: no reply within 10000 ms' });
  for (const [source, service] of [['chairman', 'chairman'], ['root', 'root-scheduler']] as const) {
    const members = cluster.members[service].length;
    const leader = cluster.leader(service);
    if (!leader) failed.set(source, { kind: 'no_leader', message: `${members} members under /services/${service}` });
    else if (churn.down(source)) {
      const where = `${leader.host}:${leader.port}`;
      failed.set(source, { kind: 'unreachable', message: `connect ${where}: connect ECONNREFUSED ${where}` });
    }
  }
  return failed;
}

function jitter(prng: Prng, typical: number): number {
  return Math.round(typical * (0.7 + 0.6 * prng.next()));
}

function outcomes(prng: Prng, cluster: SyntheticCluster, failed: Map<SourceName, SourceError>): DeltaOutcome[] {
  const c = cluster.counts();
  const placed = c.hosts;
  const stats: Record<SourceName, Record<string, number>> = {
    'zk.services': { member: cluster.members.chairman.length + cluster.members['root-scheduler'].length },
    'zk.roles': { leaf: c.leaves, placement: placed },
    'zk.hosts': { registration: c.hosts },
    'zk.missing': c.missing ? { missing: c.missing } : {},
    chairman: { leaf: c.leaves, placement: placed },
    root: { child: c.leaves },
    agents: { asked: c.leaves, role: c.leaves },
    status: {
      nodes: c.hosts + 1,
      online: c.online + 1,
      ...(c.hosts - c.online ? { offline: c.hosts - c.online } : {}),
      latency_p50_ms: jitter(prng, 400) / 100,
      latency_p99_ms: jitter(prng, 1800) / 100,
      latency_max_ms: jitter(prng, 3000) / 100,
    },
  };
  const typicalMs: Record<SourceName, number> = { 'zk.services': 3, 'zk.roles': 100, 'zk.hosts': 800, 'zk.missing': 30, chairman: 300, root: 250, status: 700, agents: 150 };
  const endpoint = (s: SourceName) => {
    const ep = s === 'chairman' ? cluster.leader('chairman') : s === 'root' ? cluster.leader('root-scheduler') : null;
    return ep ? `${ep.host}:${ep.port}` : null;
  };
  return SOURCES.map((source): DeltaOutcome => {
    const error = failed.get(source);
    const durationMs = jitter(prng, typicalMs[source]);
    if (error) return { source, ok: false, error, durationMs: error.kind === 'timeout' ? 5000 : durationMs, endpoint: endpoint(source) };
    return { source, ok: true, durationMs, endpoint: endpoint(source), stats: stats[source] };
  });
}

export interface Generated {
  snapshots: number;
  versions: number;
  failedCollections: number;
}

/** One collection of the history: the delta and the cluster as it then is (mutated by the next step). */
export interface Collection {
  delta: SnapshotDelta;
  cluster: SyntheticCluster;
}

/**
 * The history collection by collection, pulled one at a time (the many-cluster
 * section interleaves 20 of them as their collectors would write); `totals` is
 * filled as it goes.
 */
export function* historyDeltas(spec: HistorySpec, totals: Generated = { snapshots: 0, versions: 0, failedCollections: 0 }): Generator<Collection> {
  const prng = new Prng(spec.seed);
  const zk = new SyntheticZk(spec.seed);
  zk.beginInterval(spec.startAt - spec.stepMs, spec.startAt);
  const cluster = new SyntheticCluster(prng, spec.fanout, spec.hosts, zk);
  zk.discardWatched(); // the cluster as the daemon found it when it started
  const churn = new Churn(prng, cluster);
  for (let n = 0; n < spec.snapshots; n++) {
    const intervalStart = spec.startAt + (n - 1) * spec.stepMs;
    if (n > 0) {
      zk.beginInterval(intervalStart, intervalStart + spec.stepMs);
      churn.step(n);
      zk.setWatching(!churn.down('zk'), intervalStart);
    }
    const failed = n > 0 ? failures(churn, cluster) : new Map<SourceName, SourceError>();
    const ok = new Set(SOURCES.filter((s) => !failed.has(s)));
    const writes = cluster.flush(ok, ok.has('zk.roles') && ok.has('zk.hosts'));
    const records = zk.flushStats(ok);
    const watch = zk.flushWatch();
    const startedAt = spec.startAt + n * spec.stepMs + prng.int(2000);
    const delta = { startedAt, finishedAt: startedAt + jitter(prng, 1800), outcomes: outcomes(prng, cluster, failed), writes, records, watch };
    totals.snapshots++;
    totals.versions += writes.length + records.length + watch.length;
    if (failed.size) totals.failedCollections++;
    yield { delta, cluster };
  }
}

/** Generates the history collection by collection, handing each to `sink` (with the cluster as it then is). */
export function generateHistory(spec: HistorySpec, sink: (delta: SnapshotDelta, cluster: SyntheticCluster) => void): Generated {
  const totals: Generated = { snapshots: 0, versions: 0, failedCollections: 0 };
  for (const { delta, cluster } of historyDeltas(spec, totals)) sink(delta, cluster);
  return totals;
}
