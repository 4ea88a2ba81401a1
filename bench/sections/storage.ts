// Section 2: what a collection adds to the history file, replaying a real
// 5,000-host observation (saved by the collection section) through
// recordCollection (what `collect` does) with no change, 1% and 10% of the hosts changing per
// collection. Measured after a TRUNCATE checkpoint (the WAL folded in):
// the file's growth, the bytes used inside its pages (dbstat), and the WAL
// written by each commit (write I/O). File growth is taken over the second
// half of the collections: the first versions inserted into a freshly
// written, tightly packed b-tree split a page each, which overstates the
// long-run growth. The churning scenarios are run again after a long warm-up:
// a short run pays for every key the churn creates the first time it touches a
// host (most of a 60-collection run's keys), and sees fewer checkpoints come
// due than a longer history writes.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Observation } from '../../src/model/observation.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { recordCollection } from '../../src/record/index.js';
import { Prng } from '../history/prng.js';
import { ChurnedObservations } from '../storage/churned-observations.js';
import { median } from '../stats.js';
import { table, type Cell } from '../table.js';

export const COLLECTIONS_PER_YEAR = (365 * 24 * 60) / 5;

export interface StorageScenario {
  churn: number;
  /** Collections recorded before the measured ones (0: measured from the first on). */
  warmup: number;
  collections: number;
  /** File growth per collection over the second half of the collections (the figure used below). */
  /** The file after the first collection (every fact). */
  initialBytes: number;
  fileBytesPerCollection: number;
  /** File growth per collection over all of them, page splits of the packed first snapshot included. */
  fileBytesPerCollectionAll: number;
  usedBytesPerCollection: number;
  walBytesPerCommit: number;
  versionsPerCollection: number;
  writeMs: number;
  /** initialBytes + a year of 5-minute collections at fileBytesPerCollection. */
  yearBytes: number;
  /** Bytes used in pages per table and index (dbstat) after the first collection. */
  firstUsedByObject: Record<string, number>;
  /** The same added per collection, over the measured collections. */
  usedPerCollectionByObject: Record<string, number>;
}

export interface StorageResult {
  hosts: number;
  scenarios: StorageScenario[];
}

function fileBytes(db: Db): number {
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  return (db.$client.pragma('page_count', { simple: true }) as number) * (db.$client.pragma('page_size', { simple: true }) as number);
}

function usedBytes(db: Db): number {
  const r = db.$client.prepare('SELECT sum(pgsize) - sum(unused) AS used FROM dbstat').get() as { used: number };
  return r.used;
}

function usedByObject(db: Db): Record<string, number> {
  const rows = db.$client.prepare('SELECT name, sum(pgsize) - sum(unused) AS used FROM dbstat GROUP BY name').all() as { name: string; used: number }[];
  return Object.fromEntries(rows.map((r) => [r.name, r.used]));
}

function scenario(base: Observation, churn: number, collections: number, path: string, warmup = 0): StorageScenario {
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
  const db = openDatabase(path);
  const churned = new ChurnedObservations(base, new Prng(7));
  const t0 = base.startedAt;
  // A collection as `treesnap collect` records it: the snapshot, then its drift.
  const record = (obs: Observation) => {
    return recordCollection(db, obs).written.written.length;
  };
  record({ ...base, startedAt: t0, finishedAt: t0 + 1000 });
  const initialBytes = fileBytes(db);
  const firstUsedByObject = usedByObject(db);
  for (let i = 1; i <= warmup; i++) record(churned.next(churn, t0 + i * 300_000));
  const startBytes = warmup ? fileBytes(db) : initialBytes;
  const used0 = usedBytes(db);
  const byObject0 = warmup ? usedByObject(db) : firstUsedByObject;
  const wal: number[] = [];
  const ms: number[] = [];
  let versions = 0;
  const half = Math.floor(collections / 2);
  let halfBytes = startBytes;
  for (let i = 1; i <= collections; i++) {
    if (i === half + 1) halfBytes = fileBytes(db);
    const obs = churned.next(churn, t0 + (warmup + i) * 300_000);
    const w0 = performance.now();
    versions += record(obs);
    ms.push(performance.now() - w0);
    wal.push(statSync(`${path}-wal`).size);
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
  }
  const finalBytes = fileBytes(db);
  const used = usedBytes(db) - used0;
  const byObject = usedByObject(db);
  db.$client.close();
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
  const perCollection = (finalBytes - halfBytes) / (collections - half);
  return {
    churn,
    warmup,
    collections,
    initialBytes,
    fileBytesPerCollection: perCollection,
    fileBytesPerCollectionAll: (finalBytes - startBytes) / collections,
    usedBytesPerCollection: used / collections,
    walBytesPerCommit: median(wal),
    versionsPerCollection: versions / collections,
    writeMs: median(ms),
    yearBytes: initialBytes + perCollection * COLLECTIONS_PER_YEAR,
    firstUsedByObject,
    usedPerCollectionByObject: Object.fromEntries(Object.entries(byObject).map(([name, b]) => [name, (b - (byObject0[name] ?? 0)) / collections])),
  };
}

/** Collections per scenario: enough for the b-tree to reach its long-run fill at that rate of change. */
export interface StorageCollections {
  none: number;
  onePercent: number;
  tenPercent: number;
  /** The churning scenarios again, each as [warm-up, measured] collections. */
  longRun: { onePercent: [number, number]; tenPercent: [number, number] };
}

export function benchStorage(observationFile: string, n: StorageCollections, workDir: string): StorageResult {
  const base = JSON.parse(readFileSync(observationFile, 'utf8')) as Observation;
  const hosts = base.hosts.result.ok ? base.hosts.result.value.hosts.length : 0;
  const plan: [churn: number, count: number, warmup: number][] = [
    [0, n.none, 0],
    [0.01, n.onePercent, 0],
    [0.1, n.tenPercent, 0],
    [0.01, n.longRun.onePercent[1], n.longRun.onePercent[0]],
    [0.1, n.longRun.tenPercent[1], n.longRun.tenPercent[0]],
  ];
  const scenarios = plan.map(([churn, count, warmup]) => scenario(base, churn, count, join(workDir, `storage-${churn}-${warmup}.db`), warmup));
  return { hosts, scenarios };
}

/** How a scenario is named in the tables and the targets. */
export function scenarioLabel(s: StorageScenario): string {
  const change = s.churn === 0 ? 'no change' : `${s.churn * 100}% of hosts change`;
  return s.warmup ? `${change}, after ${s.warmup}` : change;
}

const MiB = 2 ** 20;

export function storageTable(r: StorageResult): string {
  const rows: Cell[][] = r.scenarios.map((s) => [
    scenarioLabel(s),
    s.collections,
    s.versionsPerCollection,
    s.fileBytesPerCollection,
    s.fileBytesPerCollectionAll,
    s.usedBytesPerCollection,
    s.walBytesPerCommit,
    s.writeMs,
    s.initialBytes / MiB,
    s.yearBytes / MiB,
  ]);
  return table(
    `Storage per collection, ${r.hosts} hosts (file growth after checkpoint, 2nd half of the run / whole run; used = bytes inside pages (dbstat); year = first + 105,120 collections at the 2nd-half growth)`,
    ['scenario', 'collections', 'versions/coll', 'file B/coll', 'file B/coll (all)', 'used B/coll', 'WAL B/commit', 'write ms', 'first MiB', 'year MiB'],
    rows,
  );
}

/** Where the bytes go: each table and index's share of the first collection and of each later one (dbstat). */
export function storageObjectsTable(r: StorageResult): string {
  const first = r.scenarios[0]?.firstUsedByObject ?? {};
  const churned = r.scenarios.filter((s) => s.churn > 0);
  const names = Object.keys(first).sort((a, b) => (first[b] ?? 0) - (first[a] ?? 0));
  const rows: Cell[][] = names.map((name) => [name, (first[name] ?? 0) / 1024, ...churned.map((s) => s.usedPerCollectionByObject[name] ?? 0)]);
  return table(
    `Bytes used in pages by table and index, ${r.hosts} hosts (dbstat)`,
    ['table or index', 'first KiB', ...churned.map((s) => `B/coll at ${s.churn * 100}%${s.warmup ? ` after ${s.warmup}` : ''}`)],
    rows,
  );
}
