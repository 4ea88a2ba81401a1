// `npm run bench`: collection (treesnap vs the original algorithm), storage
// per collection, queries on a generated history (vs a naive full-snapshot
// store), and the daemon's steady state. Prints tables, writes JSON to --out.
// Needs TREESNAP_ZK (the bootstrap starts a throwaway ZooKeeper and sets it).
// Sizes per mode: options.ts. The bench reports; it never fails on a target.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { machineInfo, loadNow } from './machine.js';
import { parseBenchArgs, PG_SECTIONS, USAGE, type BenchConfig } from './options.js';
import { startBenchPostgres } from './postgres.js';
import { benchClusters, type ClustersResult } from './sections/clusters.js';
import { clustersTables } from './sections/clusters-table.js';
import { benchQueriesPg, enginesTable, historiesLine, type QueriesPgResult } from './sections/queries-pg.js';
import { ROOT } from './processes.js';
import { benchCollection, collectionTable, collectUnderFaults, type CollectionResult } from './sections/collection.js';
import { benchDaemon, daemonTable, type DaemonResult } from './sections/daemon.js';
import { benchQueries, queryTables, type QueryResult } from './sections/queries.js';
import { benchStorage, storageObjectsTable, storageTable, type StorageResult } from './sections/storage.js';
import { scaleTables, type ScalePoint } from './sections/scale.js';
import { startSimProcess, type SimProcess } from './sim-process.js';
import { rounded } from './stats.js';
import { checkTargets, queryP99TargetMs, targetsTable, TARGETS } from './targets.js';

const log = (line: string) => process.stderr.write(`${line}\n`);
const print = (text: string) => process.stdout.write(`${text}\n`);

/**
 * The daemon's cron interval in whole seconds. Its budget is the interval, and
 * a collection that outlives it is abandoned (worker restarted), which is not
 * the steady state to measure: room for the median collection and its tail.
 */
function daemonInterval(collection: CollectionResult | undefined): number {
  if (!collection) return 4;
  return Math.min(5, Math.max(3, Math.ceil((collection.treesnap.steady.total * 1.7) / 1000)));
}

interface Results {
  collection?: CollectionResult[];
  storage?: StorageResult;
  queries?: QueryResult;
  daemon?: DaemonResult;
  scale?: ScalePoint[];
  queriesPg?: QueriesPgResult;
  clusters?: ClustersResult;
}

/** The sections on PostgreSQL, with a server started for them alone (stopped however they end). */
async function postgresSections(c: BenchConfig, cacheDir: string, workDir: string, results: Results): Promise<void> {
  const pg = await startBenchPostgres();
  try {
    if (c.sections.includes('queries-pg')) {
      log(`queries-pg: history of ${c.queriesPg.snapshots} snapshots of ${c.queries.hosts} hosts on SQLite and PostgreSQL`);
      results.queriesPg = await benchQueriesPg(pg, { ...c.queries, snapshots: c.queriesPg.snapshots, cacheDir, log });
    }
    if (c.sections.includes('clusters')) {
      const k = c.clusters;
      log(`clusters: ${k.clusters} clusters x ${k.hosts} hosts, ${k.ticks} collections ${k.stepMs / 1000} s apart, on PostgreSQL${k.sqlite ? ' and SQLite' : ''}`);
      results.clusters = await benchClusters(pg, { ...k, workDir, log });
    }
  } finally {
    await pg.stop();
  }
}

/** One retry: the simulator's startup can fail on a ZooKeeper hiccup (a session expiring on a busy box). */
async function startSim(zk: string, hosts: number): Promise<SimProcess> {
  try {
    return await startSimProcess(zk, hosts);
  } catch (e) {
    log(`  ${(e as Error).message.slice(0, 300)}\n  retrying once`);
    return startSimProcess(zk, hosts);
  }
}

async function withSim<T>(zk: string, hosts: number, fn: (sim: SimProcess) => Promise<T>): Promise<T> {
  log(`starting a simulator of ${hosts} hosts (separate process)`);
  const sim = await startSim(zk, hosts);
  log(`  ready in ${(sim.startupMs / 1000).toFixed(1)} s`);
  try {
    return await fn(sim);
  } finally {
    await sim.stop();
  }
}

async function clusterSections(zk: string, c: BenchConfig, workDir: string, results: Results): Promise<string> {
  const observation = join(workDir, 'observation.json');
  const sizes = c.sections.includes('collection') ? c.collection.sizes : [c.collection.sizes.at(-1)!];
  results.collection = c.sections.includes('collection') ? [] : undefined;
  for (const hosts of sizes) {
    const largest = hosts === sizes.at(-1);
    await withSim(zk, hosts, async (sim) => {
      if (results.collection) {
        log(`collection: ${hosts} hosts, treesnap x${c.collection.runs}, baseline x${c.collection.baselineRuns}`);
        results.collection.push(
          await benchCollection(sim, {
            ...c.collection,
            workDir,
            saveObservation: largest && c.sections.includes('storage') ? observation : undefined,
            profile: largest && c.profile,
            rtts: largest ? c.collection.rtts : [],
          }),
        );
      }
      if (largest && c.sections.includes('daemon')) {
        const intervalS = daemonInterval(results.collection?.at(-1));
        log(`daemon: ${c.daemon.ticks} ticks every ${intervalS} s against ${hosts} hosts`);
        results.daemon = await benchDaemon(sim, { ...c.daemon, intervalS, workDir });
      }
      // Last: it leaves a tenth of the agents stopped.
      const collected = results.collection?.at(-1);
      if (largest && collected) collected.underFaults = await collectUnderFaults(sim, workDir);
    });
  }
  return observation;
}

async function main(): Promise<void> {
  const c = parseBenchArgs(process.argv.slice(2));
  const zk = process.env.TREESNAP_ZK;
  if (!zk) throw new Error(`TREESNAP_ZK is not set: run it as npm run bench (which starts a ZooKeeper)\n${USAGE}`);
  const began = performance.now();
  const machine = machineInfo();
  const base = join(ROOT, '.tmp', 'bench');
  const workDir = join(base, `run-${process.pid}`);
  const cacheDir = join(base, 'cache');
  mkdirSync(workDir, { recursive: true });
  mkdirSync(cacheDir, { recursive: true });
  log(`treesnap bench (${c.mode}): ${machine.cpus} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, load ${machine.loadAtStart.toFixed(2)}`);
  const results: Results = {};
  try {
    if (c.sections.some((s) => s === 'collection' || s === 'storage' || s === 'daemon')) {
      const observation = await clusterSections(zk, c, workDir, results);
      if (c.sections.includes('storage')) {
        if (!existsSync(observation)) throw new Error('storage needs the collection section in the same run (it replays its observation)');
        log(`storage: ${c.storage.none} / ${c.storage.onePercent} / ${c.storage.tenPercent} collections with no change / 1% / 10% churn, then 1% and 10% again after ${c.storage.longRun.onePercent[0]} and ${c.storage.longRun.tenPercent[0]}`);
        results.storage = benchStorage(observation, c.storage, workDir);
      }
    }
    if (c.scale) {
      results.scale = [];
      for (const snapshots of c.scale) {
        log(`scale: queries over a history of ${snapshots} snapshots of ${c.queries.hosts} hosts`);
        results.scale.push({ snapshots, result: await benchQueries({ ...c.queries, snapshots, cacheDir, workDir, log, profile: false }) });
      }
    } else if (c.sections.includes('queries')) {
      log(`queries: history of ${c.queries.snapshots} snapshots of ${c.queries.hosts} hosts`);
      results.queries = await benchQueries({ ...c.queries, cacheDir, workDir, log, profile: c.profile });
    }
    if (!c.scale && c.sections.some((s) => PG_SECTIONS.includes(s))) await postgresSections(c, cacheDir, workDir, results);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  machine.loadAtEnd = loadNow();
  if (results.collection) print(collectionTable(results.collection));
  if (results.storage) print(`${storageTable(results.storage)}\n\n${storageObjectsTable(results.storage)}`);
  if (results.queries) print(queryTables(results.queries, { inProcessMs: queryP99TargetMs, cliMs: TARGETS.cliP99Ms, floorRatio: TARGETS.cliFloorRatio }));
  if (results.daemon) print(daemonTable(results.daemon));
  if (results.scale) print(scaleTables(results.scale));
  if (results.queriesPg) print(`${enginesTable(results.queriesPg)}\n${historiesLine(results.queriesPg)}`);
  if (results.clusters) print(clustersTables(results.clusters));
  const targets = checkTargets(results);
  print(targetsTable(targets));
  const durationS = (performance.now() - began) / 1000;
  print(`\n${c.mode} bench: ${durationS.toFixed(0)} s on ${machine.cpus} cores / ${machine.memoryGiB} GiB / Node ${machine.node}; load average ${machine.loadAtStart.toFixed(2)} at start, ${machine.loadAtEnd.toFixed(2)} at end`);
  const out = resolve(ROOT, c.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(rounded({ schema: 1, mode: c.mode, startedAt: new Date(Date.now() - durationS * 1000).toISOString(), durationS, machine, config: c, targets, ...results }), null, 2)}\n`);
  print(`results: ${out}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
