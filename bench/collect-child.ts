// One bench process that collects: treesnap's collector (then its store), or
// the baseline, `--runs` times in a row against a simulator running in
// another process. Prints one JSON line (CollectChildReport) on stdout. A
// process of its own so that its peak RSS is the collector's alone and its
// event loop is not shared with the simulator's.
//   node --import tsx bench/collect-child.ts --mode treesnap|baseline --zk Z [--db F] [--runs N] [--save-observation F]
//     [--rtt MS --chairman HOST:PORT --root HOST:PORT]
// With --rtt, every TCP connect of this process waits MS first (connect-delay.ts), and the chairman and the
// root scheduler are reached at the given addresses (latency proxies) after their leaders are read.
import { writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { collect, type CollectOptions } from '../src/collect/collect.js';
import { SOURCES } from '../src/snapshot/source-name.js';
import { readingOf } from '../src/snapshot/source-registry.js';
import type { Observation } from '../src/model/observation.js';
import { openDatabase } from '../src/store/open-database.js';
import { recordCollection } from '../src/record/index.js';
import type { Endpoint } from '../src/model/ids.js';
import { baselineIntrospection, type BaselineTimings, type LeaderRoutes } from './baseline-introspection.js';
import { delayConnects, type ConnectDelay } from './connect-delay.js';
import { sampleProcess } from './proc-stats.js';

/** Wall times of one treesnap collection, ms. Sources read concurrently overlap. */
export interface TreesnapRun {
  /** collect(): connect, read every source, probe, close. */
  collectMs: number;
  /** recordCollection(): the snapshot (planned against the stored head state), then its drift, as `collect` does. */
  storeMs: number;
  totalMs: number;
  /** CPU time (user + system) of this process over the collection and store. */
  cpuMs: number;
  /** Each source's own reading time (from the Observation). */
  sources: Record<string, number>;
  /** Connecting to ZooKeeper, checking the chroot and closing: what collect() spent outside every source. */
  zkSessionMs: number;
  versionsWritten: number;
  failedSources: string[];
}

export interface BaselineRun extends BaselineTimings {
  cpuMs: number;
}

export interface CollectChildReport {
  mode: 'treesnap' | 'baseline';
  runs: (TreesnapRun | BaselineRun)[];
  /** RSS after loading the code, before the first collection. */
  rssStartMiB: number;
  /** Peak RSS of the process since its exec (VmHWM: getrusage's maxrss also counts the bench's own size when it forked this child). */
  peakRssMiB: number;
  /** With --rtt: how every TCP connect was delayed (connect-delay.ts). */
  connectDelay?: ConnectDelay | null;
}

const MiB = 1024 * 1024;

/** The CLI's defaults (README "Configuration"). */
function collectOptions(zk: string, via: LeaderRoutes): CollectOptions {
  return { zk, ...via, connectTimeoutMs: 5000, requestTimeoutMs: 10_000, probeTimeoutMs: 2000, probeConcurrency: 64, probeMode: 'connect' };
}

function endpointArg(value: string | undefined): Endpoint | undefined {
  if (!value) return undefined;
  const at = value.lastIndexOf(':');
  return { host: value.slice(0, at), port: Number(value.slice(at + 1)) };
}

function sourceDurations(obs: Observation): Record<string, number> {
  return Object.fromEntries(SOURCES.map((s) => [s, readingOf(obs, s).durationMs]));
}

async function treesnapRuns(zk: string, via: LeaderRoutes, dbPath: string, runs: number, saveTo: string | undefined): Promise<TreesnapRun[]> {
  const db = openDatabase(dbPath);
  const out: TreesnapRun[] = [];
  for (let i = 0; i < runs; i++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const obs = await collect(collectOptions(zk, via));
    const t1 = performance.now();
    // What `treesnap collect` stores: the snapshot, then its drift recorded.
    const { written } = recordCollection(db, obs);
    const t2 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    const sources = sourceDurations(obs);
    // services first, then the five independent reads side by side, then the probes and the agents side by side.
    const parallel = Math.max(sources['zk.roles']!, sources['zk.hosts']!, sources['zk.missing']!, sources.chairman!, sources.root!);
    out.push({
      collectMs: t1 - t0,
      storeMs: t2 - t1,
      totalMs: t2 - t0,
      cpuMs: (cpu.user + cpu.system) / 1000,
      sources,
      zkSessionMs: Math.max(0, t1 - t0 - sources['zk.services']! - parallel - Math.max(sources.status!, sources.agents!)),
      versionsWritten: written.written.length,
      failedSources: written.failedSources,
    });
    if (saveTo && i === runs - 1) writeFileSync(saveTo, JSON.stringify(obs));
  }
  db.$client.close();
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      mode: { type: 'string' },
      zk: { type: 'string' },
      db: { type: 'string' },
      runs: { type: 'string', default: '1' },
      'save-observation': { type: 'string' },
      rtt: { type: 'string' },
      chairman: { type: 'string' },
      root: { type: 'string' },
    },
  });
  // Normal priority even if the parent's nice value was raised for its proxies (network-priority.ts).
  setPriority(0);
  const connectDelay = values.rtt ? await delayConnects(Number(values.rtt)) : null;
  const via: LeaderRoutes = { chairman: endpointArg(values.chairman), root: endpointArg(values.root) };
  const mode = values.mode === 'baseline' ? 'baseline' : 'treesnap';
  if (!values.zk || (mode === 'treesnap' && !values.db)) throw new Error('usage: collect-child.ts --mode treesnap|baseline --zk Z [--db F] [--runs N]');
  const rssStartMiB = process.memoryUsage().rss / MiB;
  const runs = Number(values.runs);
  const results: (TreesnapRun | BaselineRun)[] = [];
  if (mode === 'treesnap') results.push(...(await treesnapRuns(values.zk, via, values.db!, runs, values['save-observation'])));
  else {
    for (let i = 0; i < runs; i++) {
      const cpu0 = process.cpuUsage();
      const timings = await baselineIntrospection(values.zk, via);
      const cpu = process.cpuUsage(cpu0);
      results.push({ ...timings, cpuMs: (cpu.user + cpu.system) / 1000 });
    }
  }
  const report: CollectChildReport = { mode, runs: results, rssStartMiB, peakRssMiB: sampleProcess(process.pid)?.peakRssMiB ?? Number.NaN, connectDelay };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`collect-child: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
