// Section clusters: many clusters in one history, each with its own collector.
// N synthetic clusters (history/generate-history.ts, a seed each, 1-minute
// ticks) are generated collection by collection and interleaved as their
// collectors would write them: every tick, each cluster's delta through the
// store's delta API on its own handle (--cluster NAME). On PostgreSQL the N
// writes of a tick start together (collectors on different machines; the
// history's write lock orders them, and its wait is part of the write time);
// on SQLite, one process's handles on one file, they run one after another
// (and on PostgreSQL too with --clusters-sequential: the write without its wait).
// Then the database's size, and each cluster's queries (those of queries.ts
// a day's history can answer), through each store's reader as the CLI asks them.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../src/store/open-database.js';
import { openHistoryStore, openPostgresReader, sqliteHistoryStore, type HistoryStore } from '../../src/store/history-store.js';
import type { HistoryReader } from '../../src/store/history-reader.js';
import type { SnapshotDelta } from '../../src/store/write-snapshot-delta.js';
import { historyDeltas, historySpec, type Collection, type HistorySpec } from '../history/generate-history.js';
import { adminQuery, databaseBytes, freshDatabase, type BenchPostgres } from '../postgres.js';
import { summarize, type Summary } from '../stats.js';
import { CASES, timeCalls, type Iterations, type QueryTiming, type Targets } from './queries.js';

export interface ClustersOptions extends Iterations {
  clusters: number;
  hosts: number;
  /** Collections per cluster (1,440: a day of 1-minute ticks). */
  ticks: number;
  stepMs: number;
  /** Also on SQLite, for comparison. */
  sqlite: boolean;
  /** PostgreSQL's writes of a tick one after another as well: the write's own time, without the wait for the lock. */
  sequential: boolean;
  workDir: string;
  log: (line: string) => void;
}

export interface ClusterRow {
  cluster: string;
  /** The first collection (the whole cluster is new), left out of `writes`. */
  firstWriteMs: number;
  writes: Summary;
  /** PostgreSQL: the cluster's heap row bytes (pg_column_size, indexes and page overhead left out); null where not measured. */
  rowBytes: number | null;
  queries: QueryTiming[];
}

export interface EngineClusters {
  engine: 'PostgreSQL' | 'SQLite';
  /** How the writes of one tick ran. */
  writers: 'concurrent' | 'one after another';
  /** Wall time of a whole tick's writes, all clusters (the first tick, every cluster new, left out). */
  tickMs: Summary;
  databaseBytes: number;
  clusters: ClusterRow[];
}

export interface ClustersResult {
  spec: { clusters: number; hosts: number; ticks: number; stepMs: number };
  /** ms spent generating the deltas (all clusters; not part of any write time). */
  generationMs: number;
  engines: EngineClusters[];
}

const SEED = 20261204;
const PG_DATABASE = 'treesnap_bench_clusters';

/** Cluster i's name: c01, c02, ... (pure). */
export function clusterName(i: number, count: number): string {
  return `c${String(i + 1).padStart(Math.max(2, String(count).length), '0')}`;
}

/** Cluster i's history: its own seed, `ticks` collections `stepMs` apart (pure). */
export function clusterSpec(i: number, o: Pick<ClustersOptions, 'hosts' | 'ticks' | 'stepMs'>): HistorySpec {
  return { ...historySpec(o.hosts, o.ticks), seed: SEED + i, stepMs: o.stepMs };
}

interface Engine {
  name: EngineClusters['engine'];
  concurrent: boolean;
  stores: HistoryStore[];
  /** Cluster i's reads (the CLI's query path); done() when its queries are over. */
  reader(i: number): Promise<{ db: HistoryReader; done(): Promise<void> }>;
  samples: number[][];
  ticks: number[];
  bytes(): Promise<number>;
  rowBytes(): Promise<Map<string, number> | null>;
}

async function pgEngine(pg: BenchPostgres, names: string[], concurrent: boolean): Promise<Engine> {
  const url = await freshDatabase(pg.url, PG_DATABASE);
  const stores: HistoryStore[] = [];
  for (const cluster of names) stores.push(await openHistoryStore(url, { cluster }));
  const tables = ['snapshots', 'snapshot_sources', 'fact_keys', 'fact_versions', 'state_checkpoints', 'meta'];
  const rowBytes = async () => {
    const rows = await adminQuery<{ name: string; bytes: string }>(
      url,
      `SELECT c.name, sum(x.b)::text AS bytes FROM clusters c JOIN (${tables.map((t) => `SELECT cluster, pg_column_size(t.*) AS b FROM ${t} t`).join(' UNION ALL ')}) x ON x.cluster = c.id GROUP BY c.name`,
    );
    return new Map(rows.map((r) => [r.name, Number(r.bytes)]));
  };
  const reader = async (i: number) => {
    const db = await openPostgresReader(url, { cluster: names[i]! });
    return { db, done: () => db.close() };
  };
  return { name: 'PostgreSQL', concurrent, stores, reader, samples: names.map(() => []), ticks: [], bytes: () => databaseBytes(url), rowBytes };
}

function sqliteEngine(path: string, names: string[]): Engine {
  const dbs = names.map((cluster) => openDatabase(path, { cluster }));
  const bytes = async () => {
    dbs[0]!.$client.pragma('wal_checkpoint(TRUNCATE)');
    return statSync(path).size;
  };
  // The stores write through these very handles, which stay open: a query's reader is the handle.
  const reader = async (i: number) => ({ db: dbs[i]!, done: async () => {} });
  return { name: 'SQLite', concurrent: false, stores: dbs.map(sqliteHistoryStore), reader, samples: names.map(() => []), ticks: [], bytes, rowBytes: async () => null };
}

async function timedWrite(store: HistoryStore, delta: SnapshotDelta, into: number[]): Promise<void> {
  const t0 = performance.now();
  await store.writeSnapshotDelta(delta);
  into.push(performance.now() - t0);
}

async function writeTick(e: Engine, deltas: SnapshotDelta[]): Promise<void> {
  const t0 = performance.now();
  if (e.concurrent) await Promise.all(e.stores.map((s, i) => timedWrite(s, deltas[i]!, e.samples[i]!)));
  else for (let i = 0; i < deltas.length; i++) await timedWrite(e.stores[i]!, deltas[i]!, e.samples[i]!);
  e.ticks.push(performance.now() - t0);
}

/** Every cluster's day, tick by tick, into every engine; returns the ms spent generating. */
async function writeDay(engines: Engine[], o: ClustersOptions): Promise<number> {
  const histories = Array.from({ length: o.clusters }, (_, i) => historyDeltas(clusterSpec(i, o)));
  let generationMs = 0;
  for (let n = 0; n < o.ticks; n++) {
    const g0 = performance.now();
    const deltas = histories.map((h) => (h.next().value as Collection).delta);
    generationMs += performance.now() - g0;
    for (const e of engines) await writeTick(e, deltas);
    if ((n + 1) % 120 === 0) o.log(`  tick ${n + 1}/${o.ticks}`);
  }
  return generationMs;
}

async function clusterQueries(e: Engine, i: number, o: Iterations): Promise<QueryTiming[]> {
  const { db, done } = await e.reader(i);
  try {
    const t: Targets = { first: db.snapshotById(1)!, last: db.resolveSnapshot({ kind: 'latest', back: 0 }), flappers: [] };
    const out: QueryTiming[] = [];
    for (const c of CASES.filter((q) => !q.longHistory)) out.push(await timeCalls(c.name, (p) => c.inProcess(db, t, p), o));
    return out;
  } finally {
    await done();
  }
}

async function results(e: Engine, names: string[], o: ClustersOptions): Promise<EngineClusters> {
  const rowBytes = await e.rowBytes();
  const clusters: ClusterRow[] = [];
  for (let i = 0; i < names.length; i++) {
    o.log(`  ${e.name}: queries of ${names[i]}`);
    const [first, ...rest] = e.samples[i]!;
    clusters.push({ cluster: names[i]!, firstWriteMs: first!, writes: summarize(rest), rowBytes: rowBytes?.get(names[i]!) ?? null, queries: await clusterQueries(e, i, o) });
  }
  return { engine: e.name, writers: e.concurrent ? 'concurrent' : 'one after another', tickMs: summarize(e.ticks.slice(1)), databaseBytes: await e.bytes(), clusters };
}

export async function benchClusters(pg: BenchPostgres, o: ClustersOptions): Promise<ClustersResult> {
  const names = Array.from({ length: o.clusters }, (_, i) => clusterName(i, o.clusters));
  const engines = [await pgEngine(pg, names, !o.sequential), ...(o.sqlite ? [sqliteEngine(join(o.workDir, 'clusters.db'), names)] : [])];
  try {
    const generationMs = await writeDay(engines, o);
    const out: EngineClusters[] = [];
    for (const e of engines) out.push(await results(e, names, o));
    return { spec: { clusters: o.clusters, hosts: o.hosts, ticks: o.ticks, stepMs: o.stepMs }, generationMs, engines: out };
  } finally {
    // Closing a SQLite store closes its handle; PostgreSQL's each end their pool.
    for (const e of engines) for (const s of e.stores) await s.close();
  }
}
