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
import { runJsonChild } from '../processes.js';
import { sampleProcess } from '../proc-stats.js';
import type { SimProcess } from '../sim-process.js';
import { median } from '../stats.js';
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
  /** With --profile: where the collecting process spent its time over a separate run of `runs` collections. */
  profile?: ProfileSummary | null;
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
    profile: o.profile ? await profileRun(sim, o, timeout) : undefined,
  };
}

export function collectionTable(results: CollectionResult[]): string {
  const rows: Cell[][] = [];
  for (const r of results) {
    const t = r.treesnap;
    const row = (label: string, p: TreesnapPhases, rss: number | null, sim: number | null): Cell[] =>
      [r.hosts, label, p.zkSession, p.zkReads, p.chairman, p.root, p.probes, p.agents, p.store, p.total, p.cpu, sim, rss];
    rows.push(row('treesnap, 1st (empty db)', t.first, null, null));
    rows.push(row(`treesnap, steady (median of ${t.steadyRuns})`, t.steady, t.peakRssMiB, t.simCpuMsPerRun));
    const b = r.baseline.median;
    rows.push([r.hosts, `baseline (median of ${r.baseline.runs.length})`, b.zkConnect, b.zkReads, b.chairman, b.root, b.probes, null, null, b.total, b.cpu, r.baseline.simCpuMsPerRun, r.baseline.peakRssMiB]);
  }
  return table(
    'Collection (wall ms per phase; treesnap reads zk, chairman and root side by side, then the probes and the agents side by side, so phases overlap; the baseline reads no agents; cpu = the collecting process; sim cpu = the simulator per collection, average over all runs; RSS MiB = peak of the collecting process)',
    ['hosts', 'run', 'zk session', 'zk reads', 'chairman', 'root', 'probes', 'agents', 'store', 'total', 'cpu ms', 'sim cpu ms', 'peak RSS'],
    rows,
  ) + '\n' + speedupTable(results) + results.map((r) => (r.profile ? `\n${profileTable(`Profile of ${r.treesnap.runs.length} treesnap collections of ${r.hosts} hosts in one process (node --cpu-prof; startup included)`, r.profile)}` : '')).join('');
}

function speedupTable(results: CollectionResult[]): string {
  const rtts = results[0]?.modeled.atRtt.map((m) => m.rttMs) ?? [];
  return table(
    'Speedup, baseline total / treesnap steady total (measured on loopback; at a network RTT: modeled, adding RTT x round trips waited in sequence)',
    ['hosts', 'measured', ...rtts.map((r) => `at ${r} ms RTT`), 'round trips baseline / treesnap'],
    results.map((r): Cell[] => [r.hosts, r.speedup.withStore, ...r.modeled.atRtt.map((m) => m.speedup), `${r.modeled.roundTrips.baseline} / ${r.modeled.roundTrips.treesnap}`]),
  );
}
