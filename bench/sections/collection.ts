// Section 1: collecting a simulated cluster, treesnap against the original
// algorithm (baseline-introspection.ts), each in a process of its own, the
// simulator in a third. treesnap's first run writes every fact into an empty
// database (cold process); the runs after it are the steady state of a
// daemon (warm process, nothing changed).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PROBE_CONCURRENCY } from '../../src/sources/probe/probe-status.js';
import { READ_CONCURRENCY } from '../../src/sources/zookeeper/read-children-data.js';
import type { BaselineRun, CollectChildReport, TreesnapRun } from '../collect-child.js';
import { profileTable, summarizeProfileDir, type ProfileSummary } from '../cpu-profile.js';
import { parseConnectString } from '../../src/sources/zookeeper/connect-string.js';
import { measuredRoundTrips, startLatencyProxy, type LatencyProxy } from '../latency-proxy.js';
import { raiseNetworkPriority, type NetworkPriority } from '../network-priority.js';
import { PreciseClock } from '../precise-clock.js';
import { runJsonChild } from '../processes.js';
import { sampleProcess } from '../proc-stats.js';
import type { SimProcess } from '../sim-process.js';
import { median } from '../stats.js';
import { closeDatabase, keysOfKind, openDatabase } from '../../src/store/index.js';
import { table, type Cell } from '../table.js';

/** Wall times in ms. In treesnap the ZooKeeper reads, chairman and root overlap: they do not add up. */
export interface TreesnapPhases {
  zkSession: number;
  /** zk.services, then the slowest of zk.roles, zk.hosts, zk.missing. */
  zkReads: number;
  chairman: number;
  root: number;
  probes: number;
  /** The owners' own view (get_schedulers), read beside the probes. */
  agents: number;
  collect: number;
  store: number;
  total: number;
  cpu: number;
}

export interface BaselinePhases {
  zkConnect: number;
  zkReads: number;
  chairman: number;
  root: number;
  probes: number;
  total: number;
  cpu: number;
}

export interface UnderFaults {
  stopped: number;
  hosts: number;
  phases: TreesnapPhases;
  failedSources: string[];
}

export interface CollectionResult {
  hosts: number;
  simStartupMs: number;
  treesnap: {
    first: TreesnapPhases & { versionsWritten: number };
    steady: TreesnapPhases;
    steadyRuns: number;
    rssStartMiB: number;
    peakRssMiB: number;
    failedSources: string[];
    runs: TreesnapRun[];
    /** CPU the simulator process spent per collection (it shares the 2 cores with the collector). */
    simCpuMsPerRun: number;
  };
  baseline: { median: BaselinePhases; runs: BaselineRun[]; peakRssMiB: number; simCpuMsPerRun: number };
  /** Baseline median total / treesnap steady median: collect() alone, and collect + store. */
  speedup: { collect: number; withStore: number };
  /**
   * A model, not a measurement: loopback answers in microseconds, a network
   * in a fraction of a millisecond. Network round trips each side waits for,
   * one after another (the baseline: every request and connect; treesnap:
   * pipelined batches), added to the measured times at a few round-trip times.
   */
  modeled: { roundTrips: { baseline: number; treesnap: number }; atRtt: { rttMs: number; baselineMs: number; treesnapMs: number; speedup: number }[] };
  /** Measured, not modeled: the same collections through latency proxies at each round trip (largest size only). */
  measuredAtRtt: AtRttResult[];
  /** With --profile: where the collecting process spent its time over a separate run of `runs` collections. */
  profile?: ProfileSummary | null;
  /** One collection with every tenth agent stopped (collectUnderFaults; largest size, after the daemon section). */
  underFaults?: UnderFaults;
}

/**
 * Both collectors through latency proxies (latency-proxy.ts) in front of ZooKeeper, the chairman and the root
 * scheduler, every TCP connect of the collecting process (probes included) delayed by the round trip
 * (connect-delay.ts). The agents' get_schedulers calls (treesnap only) reach the agents directly after their
 * delayed connect. treesnap writes into a database of its own per round trip: its first run fills it.
 */
export interface AtRttResult {
  rttMs: number;
  /** How far network-priority.ts could raise the proxies' threads. */
  proxyPriority?: NetworkPriority;
  /**
   * The delay the proxies were set to: rttMs less what a proxy adds of its own (wake-ups), found by echoes, so
   * that a one-byte echo through a proxy takes rttMs at the median.
   */
  proxyRttMs: number;
  /** What a proxy set to proxyRttMs really added on this machine: one-byte echoes through it, just before the runs. */
  measuredRttMs: { p50: number; p90: number };
  /** How each collecting process delayed its connects (connect-delay.ts), calibrated before its runs. */
  connectDelay: { treesnap: CollectChildReport['connectDelay']; baseline: CollectChildReport['connectDelay'] };
  /** CPU the proxies (this process) used per collection: forwarding that a network does off the collector's machine. */
  proxyCpuMsPerRun: { treesnap: number; baseline: number };
  /** Connections each proxy accepted over all runs: the traffic went through it. */
  accepted: { zk: number; chairman: number; root: number };
  treesnap: { first: TreesnapPhases; steady: TreesnapPhases; steadyRuns: number; failedSources: string[] };
  baseline: { median: BaselinePhases; runs: number };
  /** Baseline median total / treesnap steady median total (collect + store). */
  speedup: number;
  /**
   * What each of the baseline's requests really waited more than on loopback (it makes them one after another,
   * so this is the round trip as the collectors met it, load included): per ZooKeeper request, per probe connect.
   */
  baselineAddedMs: { perZkRequest: number; perConnect: number };
}

function zkRequests(c: BaselineRun['counts']): number {
  return 2 * 2 + (1 + c.leaves) + (1 + c.registered) + 1;
}

/** Round trips on the critical path of each (see CollectionResult.modeled). */
function roundTrips(c: BaselineRun['counts']): { baseline: number; treesnap: number } {
  const nodes = c.online + c.offline;
  const leaders = 2 * 2; // per service: list its members, read the one member
  const rpc = 2; // connect, call
  const baseline = leaders + (1 + c.leaves) + (1 + c.registered) + 1 + 2 * rpc + nodes;
  const pipelined = (n: number) => 1 + Math.ceil(n / READ_CONCURRENCY);
  const treesnap = 1 + leaders + Math.max(pipelined(c.leaves), pipelined(c.registered), 1, rpc) + Math.ceil(nodes / DEFAULT_PROBE_CONCURRENCY);
  return { baseline, treesnap };
}

function modeled(baselineMs: number, treesnapMs: number, counts: BaselineRun['counts']): CollectionResult['modeled'] {
  const trips = roundTrips(counts);
  const atRtt = [0.25, 0.5, 1].map((rttMs) => {
    const b = baselineMs + rttMs * trips.baseline;
    const t = treesnapMs + rttMs * trips.treesnap;
    return { rttMs, baselineMs: b, treesnapMs: t, speedup: b / t };
  });
  return { roundTrips: trips, atRtt };
}

function phases(r: TreesnapRun): TreesnapPhases {
  const s = r.sources;
  return {
    zkSession: r.zkSessionMs,
    zkReads: s['zk.services']! + Math.max(s['zk.roles']!, s['zk.hosts']!, s['zk.missing']!),
    chairman: s.chairman!,
    root: s.root!,
    probes: s.status!,
    agents: s.agents!,
    collect: r.collectMs,
    store: r.storeMs,
    total: r.totalMs,
    cpu: r.cpuMs,
  };
}

function baselinePhases(r: BaselineRun): BaselinePhases {
  return { zkConnect: r.zkConnectMs, zkReads: r.zkReadsMs, chairman: r.chairmanMs, root: r.rootMs, probes: r.probesMs, total: r.totalMs, cpu: r.cpuMs };
}

/** Field-wise median. */
function medianOf<T extends object>(rows: T[]): T {
  const keys = Object.keys(rows[0]!) as (keyof T)[];
  return Object.fromEntries(keys.map((k) => [k, median(rows.map((r) => r[k] as number))])) as T;
}

export interface CollectionOptions {
  runs: number;
  baselineRuns: number;
  workDir: string;
  /** Where to save the last observation (the storage section replays it). */
  saveObservation?: string;
  /** Profile a separate treesnap run (node --cpu-prof) after the measured ones. */
  profile?: boolean;
  /** Round trips (ms) to measure again through latency proxies; empty for none. */
  rtts: number[];
}

async function profileRun(sim: SimProcess, o: CollectionOptions, timeout: number): Promise<ProfileSummary | null> {
  const dir = join(o.workDir, `profile-${sim.hosts}`);
  mkdirSync(dir, { recursive: true });
  const args = ['--mode', 'treesnap', '--zk', sim.zk, '--db', join(o.workDir, `profile-${sim.hosts}.db`), '--runs', String(o.runs)];
  await runJsonChild<CollectChildReport>('bench/collect-child.ts', args, timeout, ['--cpu-prof', '--cpu-prof-dir', dir]);
  return summarizeProfileDir(dir);
}

export async function benchCollection(sim: SimProcess, o: CollectionOptions): Promise<CollectionResult> {
  const timeout = 120_000 + sim.hosts * 60 * Math.max(o.runs, o.baselineRuns);
  const args = ['--zk', sim.zk, '--db', join(o.workDir, `collect-${sim.hosts}.db`), '--runs', String(o.runs)];
  if (o.saveObservation) args.push('--save-observation', o.saveObservation);
  const simCpu = () => (sampleProcess(sim.pid)?.cpuSeconds ?? NaN) * 1000;
  const sim0 = simCpu();
  const ours = await runJsonChild<CollectChildReport>('bench/collect-child.ts', ['--mode', 'treesnap', ...args], timeout);
  const sim1 = simCpu();
  const base = await runJsonChild<CollectChildReport>('bench/collect-child.ts', ['--mode', 'baseline', '--zk', sim.zk, '--runs', String(o.baselineRuns)], timeout);
  const sim2 = simCpu();
  const runs = ours.runs as TreesnapRun[];
  const steadyRuns = runs.length > 1 ? runs.slice(1) : runs;
  const steady = medianOf(steadyRuns.map(phases));
  const baseRuns = base.runs as BaselineRun[];
  const baseline = medianOf(baseRuns.map(baselinePhases));
  return {
    hosts: sim.hosts,
    simStartupMs: sim.startupMs,
    treesnap: {
      first: { ...phases(runs[0]!), versionsWritten: runs[0]!.versionsWritten },
      steady,
      steadyRuns: steadyRuns.length,
      rssStartMiB: ours.rssStartMiB,
      peakRssMiB: ours.peakRssMiB,
      failedSources: [...new Set(runs.flatMap((r) => r.failedSources))],
      runs,
      simCpuMsPerRun: (sim1 - sim0) / runs.length,
    },
    baseline: { median: baseline, runs: baseRuns, peakRssMiB: base.peakRssMiB, simCpuMsPerRun: (sim2 - sim1) / baseRuns.length },
    speedup: { collect: baseline.total / steady.collect, withStore: baseline.total / steady.total },
    modeled: modeled(baseline.total, steady.total, baseRuns[0]!.counts),
    measuredAtRtt: await measureAtRtts(sim, o, timeout, baseline),
    profile: o.profile ? await profileRun(sim, o, timeout) : undefined,
  };
}

/**
 * One collection (a process of its own, into the steady runs' history) while
 * every tenth agent's port is closed: what an outage of 10% of the hosts costs
 * a collection. Its limit is the budget `treesnap run` gives a collection on
 * the tightest five-field schedule (80% of a minute). The agents stay stopped
 * (a stopped agent's port may be taken by then), so this is the simulator's
 * last use.
 */
export async function collectUnderFaults(sim: SimProcess, workDir: string): Promise<UnderFaults> {
  const dbPath = join(workDir, `collect-${sim.hosts}.db`);
  const db = openDatabase(dbPath, { readonly: true });
  const hosts = keysOfKind(db, 'zk.hosts', 'registration').map((k) => k.entity).sort();
  closeDatabase(db);
  const stopped = hosts.filter((_, i) => i % 10 === 0);
  process.stderr.write(`  one collection with ${stopped.length} of ${hosts.length} agents stopped\n`);
  for (const id of stopped) await sim.command(`stop-agent ${id}`);
  const report = await runJsonChild<CollectChildReport>('bench/collect-child.ts', ['--mode', 'treesnap', '--zk', sim.zk, '--db', dbPath, '--runs', '1'], 120_000 + sim.hosts * 60);
  const run = report.runs[0] as TreesnapRun;
  return { stopped: stopped.length, hosts: hosts.length, phases: phases(run), failedSources: run.failedSources };
}

async function startProxies(sim: SimProcess, rttMs: number, clock: PreciseClock): Promise<{ zk: LatencyProxy; chairman: LatencyProxy; root: LatencyProxy; connectString: string }> {
  const parsed = parseConnectString(sim.zk);
  if (!parsed.ok) throw new Error(`bench: ${sim.zk}: ${parsed.error}`);
  const zk = await startLatencyProxy({ target: parsed.value.servers[0]!, rttMs, clock });
  const chairman = await startLatencyProxy({ target: sim.chairman, rttMs, clock });
  const root = await startLatencyProxy({ target: sim.root, rttMs, clock });
  return { zk, chairman, root, connectString: `${zk.endpoint.host}:${zk.endpoint.port}${parsed.value.chroot ?? ''}` };
}

/** The proxy setting whose echoes take `rttMs` at the median (two corrections), and those echoes. */
async function calibrate(rttMs: number, clock: PreciseClock): Promise<{ proxyRttMs: number; echo: { p50: number; p90: number } }> {
  const echo = async (ms: number) => {
    const t = await measuredRoundTrips(ms, 300, clock);
    return { p50: t[Math.floor(t.length / 2)]!, p90: t[Math.floor(t.length * 0.9)]! };
  };
  let proxyRttMs = rttMs;
  let seen = await echo(proxyRttMs);
  for (let i = 0; i < 2 && rttMs > 0; i++) {
    proxyRttMs = Math.max(0, proxyRttMs - (seen.p50 - rttMs));
    seen = await echo(proxyRttMs);
  }
  return { proxyRttMs, echo: seen };
}

async function measureAtRtt(sim: SimProcess, o: CollectionOptions, rttMs: number, clock: PreciseClock, timeout: number, loopback: BaselinePhases): Promise<AtRttResult> {
  const { proxyRttMs, echo: measuredRttMs } = await calibrate(rttMs, clock);
  const p = await startProxies(sim, proxyRttMs, clock);
  try {
    const via = ['--zk', p.connectString, '--rtt', String(rttMs), '--chairman', `${p.chairman.endpoint.host}:${p.chairman.endpoint.port}`, '--root', `${p.root.endpoint.host}:${p.root.endpoint.port}`];
    const db = join(o.workDir, `collect-${sim.hosts}-rtt-${rttMs}.db`);
    const cpu0 = process.cpuUsage();
    const ours = await runJsonChild<CollectChildReport>('bench/collect-child.ts', ['--mode', 'treesnap', ...via, '--db', db, '--runs', String(o.runs)], timeout);
    const cpu1 = process.cpuUsage(cpu0);
    const base = await runJsonChild<CollectChildReport>('bench/collect-child.ts', ['--mode', 'baseline', ...via, '--runs', String(o.baselineRuns)], timeout);
    const cpu2 = process.cpuUsage();
    const ms = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
    const proxyCpuMsPerRun = { treesnap: ms(cpu1) / o.runs, baseline: (ms(cpu2) - ms(cpu0) - ms(cpu1)) / o.baselineRuns };
    const runs = ours.runs as TreesnapRun[];
    const steadyRuns = runs.length > 1 ? runs.slice(1) : runs;
    const steady = medianOf(steadyRuns.map(phases));
    const baseline = medianOf((base.runs as BaselineRun[]).map(baselinePhases));
    const counts = (base.runs[0] as BaselineRun).counts;
    return {
      rttMs,
      proxyRttMs,
      measuredRttMs,
      proxyCpuMsPerRun,
      connectDelay: { treesnap: ours.connectDelay ?? null, baseline: base.connectDelay ?? null },
      accepted: { zk: p.zk.accepted, chairman: p.chairman.accepted, root: p.root.accepted },
      treesnap: { first: phases(runs[0]!), steady, steadyRuns: steadyRuns.length, failedSources: [...new Set(runs.flatMap((r) => r.failedSources))] },
      baseline: { median: baseline, runs: base.runs.length },
      speedup: baseline.total / steady.total,
      baselineAddedMs: {
        perZkRequest: (baseline.zkReads - loopback.zkReads) / zkRequests(counts),
        perConnect: (baseline.probes - loopback.probes) / (counts.online + counts.offline),
      },
    };
  } finally {
    await Promise.all([p.zk.close(), p.chairman.close(), p.root.close()]);
  }
}

async function measureAtRtts(sim: SimProcess, o: CollectionOptions, timeout: number, loopback: BaselinePhases): Promise<AtRttResult[]> {
  if (o.rtts.length === 0) return [];
  const clock = new PreciseClock();
  // The proxies forward on this process's threads (network-priority.ts); the collectors it starts set their own.
  const priority = raiseNetworkPriority();
  try {
    const out: AtRttResult[] = [];
    for (const rttMs of o.rtts) {
      process.stderr.write(`  through latency proxies at ${rttMs} ms round trip (proxies at ${priority.got} priority)\n`);
      out.push({ ...(await measureAtRtt(sim, o, rttMs, clock, timeout, loopback)), proxyPriority: priority.got });
    }
    return out;
  } finally {
    priority.restore();
    await clock.close();
  }
}

export function collectionTable(results: CollectionResult[]): string {
  const rows: Cell[][] = [];
  for (const r of results) {
    const t = r.treesnap;
    const row = (label: string, p: TreesnapPhases, rss: number | null, sim: number | null): Cell[] =>
      [r.hosts, label, p.zkSession, p.zkReads, p.chairman, p.root, p.probes, p.agents, p.store, p.total, p.cpu, sim, rss];
    rows.push(row('treesnap, 1st (empty db)', t.first, null, null));
    rows.push(row(`treesnap, steady (median of ${t.steadyRuns})`, t.steady, t.peakRssMiB, t.simCpuMsPerRun));
    if (r.underFaults) rows.push(row(`treesnap, ${r.underFaults.stopped} agents stopped (1 run)`, r.underFaults.phases, null, null));
    const b = r.baseline.median;
    rows.push([r.hosts, `baseline (median of ${r.baseline.runs.length})`, b.zkConnect, b.zkReads, b.chairman, b.root, b.probes, null, null, b.total, b.cpu, r.baseline.simCpuMsPerRun, r.baseline.peakRssMiB]);
  }
  return table(
    'Collection (wall ms per phase; treesnap reads zk, chairman and root side by side, then the probes and the agents side by side, so phases overlap; the baseline reads no agents; cpu = the collecting process; sim cpu = the simulator per collection, average over all runs; RSS MiB = peak of the collecting process)',
    ['hosts', 'run', 'zk session', 'zk reads', 'chairman', 'root', 'probes', 'agents', 'store', 'total', 'cpu ms', 'sim cpu ms', 'peak RSS'],
    rows,
  ) + '\n' + speedupTable(results) + atRttTable(results) + results.map((r) => (r.profile ? `\n${profileTable(`Profile of ${r.treesnap.runs.length} treesnap collections of ${r.hosts} hosts in one process (node --cpu-prof; startup included)`, r.profile)}` : '')).join('');
}

function speedupTable(results: CollectionResult[]): string {
  const rtts = results[0]?.modeled.atRtt.map((m) => m.rttMs) ?? [];
  return table(
    'Speedup, baseline total / treesnap steady total (measured on loopback; the model for comparison: loopback + RTT x round trips waited in sequence)',
    ['hosts', 'measured', ...rtts.map((r) => `model at ${r} ms RTT`), 'round trips baseline / treesnap'],
    results.map((r): Cell[] => [r.hosts, r.speedup.withStore, ...r.modeled.atRtt.map((m) => m.speedup), `${r.modeled.roundTrips.baseline} / ${r.modeled.roundTrips.treesnap}`]),
  );
}

function atRttTable(results: CollectionResult[]): string {
  const rows = results.flatMap((r) =>
    r.measuredAtRtt.map((m): Cell[] => {
      const t = m.treesnap.steady;
      const b = m.baseline.median;
      const model = r.modeled.atRtt.find((x) => x.rttMs === m.rttMs)?.speedup ?? null;
      const added = `${m.baselineAddedMs.perZkRequest.toFixed(2)} / ${m.baselineAddedMs.perConnect.toFixed(2)}`;
      return [r.hosts, m.rttMs, m.proxyRttMs, `${m.measuredRttMs.p50.toFixed(2)} / ${m.measuredRttMs.p90.toFixed(2)}`, added, t.total, t.collect, t.zkSession, t.zkReads, t.probes, t.agents, m.treesnap.first.total, b.total, b.zkReads, b.probes, m.speedup, model];
    }),
  );
  if (rows.length === 0) return '';
  return '\n' + table(
    'Collection at a network round trip, measured through latency proxies (ZooKeeper, chairman, root: every byte delayed RTT/2 each way; every TCP connect of the collector delayed one RTT; proxy set to: the RTT less what a proxy adds by itself, so that echo, one-byte echoes through a proxy, takes the RTT at the median; baseline waited +: what each of its ZooKeeper requests / probe connects took more than on loopback, one after another; wall ms, treesnap steady median, baseline median)',
    ['hosts', 'RTT ms', 'proxy set to', 'echo p50 / p90', 'baseline waited +', 'treesnap total', 'collect', 'zk session', 'zk reads', 'probes', 'agents', '1st (empty db)', 'baseline total', 'baseline zk reads', 'baseline probes', 'speedup', 'model'],
    rows,
  );
}
