// Query timings on a synthetic history written through the store's own
// writer: a cluster of --hosts hosts (fanout 32) with realistic churn (probe
// flaps, hosts reported missing and coming back, moves between leaves,
// HostConfig changes, occasional source outages), --snapshots collections
// five minutes apart. Then each query is timed in process (median of runs).
//   npx tsx bench/query-timings.ts [--hosts 5000] [--snapshots 2000] [--db .tmp/bench-query.db]
import { existsSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadDiff } from '../src/query/load-diff.js';
import { loadDriftHistory } from '../src/query/load-drift-history.js';
import { loadDrift } from '../src/query/load-drift.js';
import { loadHostHistory } from '../src/query/load-host-history.js';
import { loadMissing } from '../src/query/load-missing.js';
import { loadSnapshotView } from '../src/query/load-snapshot.js';
import { loadTimeline } from '../src/query/load-timeline.js';
import { SOURCES } from '../src/snapshot/source-name.js';
import { openDatabase, type Db } from '../src/store/open-database.js';
import { resolveSnapshot, snapshotAtOrBefore } from '../src/store/snapshot-index.js';
import { writeSnapshot } from '../src/store/write-snapshot.js';
import { observation, type ClusterSpec } from '../test/support/observation.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
}

const HOSTS = Number(arg('hosts', '5000'));
const SNAPSHOTS = Number(arg('snapshots', '2000'));
const DB = arg('db', '.tmp/bench-query.db');
const T0 = Date.parse('2026-11-01T00:00:00Z');
const STEP = 300_000;

// Deterministic pseudo-random numbers (mulberry32) so runs are comparable.
let seed = 42;
function rand(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

function generate(db: Db): void {
  const hosts = Array.from({ length: HOSTS }, (_, i) => `host-${String(i).padStart(5, '0')}`);
  const leaves: Record<string, string[]> = {};
  hosts.forEach((h, i) => (leaves[`leaf-${Math.floor(i / 32)}`] ??= []).push(h));
  const offline = new Map<string, number>(); // host → snapshots left
  const missing = new Map<string, number>();
  const az: Record<string, { availabilityZone: string }> = {};
  const countDown = (m: Map<string, number>) => {
    for (const [h, left] of m) if (left <= 1) m.delete(h); else m.set(h, left - 1);
  };
  const t0 = performance.now();
  for (let n = 0; n < SNAPSHOTS; n++) {
    // probe flaps: a few hosts unreachable for one to six collections
    countDown(offline);
    for (let k = Math.floor(rand() * 4); k > 0; k--) offline.set(pick(hosts), 1 + Math.floor(rand() * 6));
    // the chairman reports a host missing for up to two hours; most of them are really down
    countDown(missing);
    if (rand() < 0.05) {
      const h = pick(hosts);
      const left = 1 + Math.floor(rand() * 24);
      missing.set(h, left);
      if (rand() < 0.8) offline.set(h, left);
    }
    if (rand() < 0.02) {
      // a host moves to another leaf (not an owner, so leaves keep their owners)
      const from = pick(Object.keys(leaves));
      const list = leaves[from]!;
      if (list.length > 1) {
        const h = list.splice(1 + Math.floor(rand() * (list.length - 1)), 1)[0]!;
        leaves[pick(Object.keys(leaves))]!.push(h);
      }
    }
    if (rand() < 0.01) az[pick(hosts)] = { availabilityZone: `az${1 + Math.floor(rand() * 3)}` };
    const failed: ClusterSpec['failed'] = {};
    if (rand() < 0.01) failed.chairman = { kind: 'unreachable', message: 'ECONNREFUSED' };
    if (rand() < 0.005) failed.missing = { kind: 'timeout', message: 'read timed out' };
    writeSnapshot(
      db,
      observation({
        leaves,
        offline: [...offline.keys()],
        missing: [...missing.keys()],
        registrationOverrides: az,
        failed,
        at: T0 + n * STEP,
      }),
    );
    if ((n + 1) % 250 === 0) {
      const per = (performance.now() - t0) / (n + 1);
      process.stderr.write(`  wrote ${n + 1}/${SNAPSHOTS} snapshots (${per.toFixed(1)} ms each)\n`);
    }
  }
}

/** Median wall time and median CPU time (user + system) of this process: CPU time is what contention on a shared machine distorts least. */
function time(name: string, runs: number, fn: () => unknown): void {
  const wall: number[] = [];
  const cpu: number[] = [];
  let out: unknown;
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    out = fn();
    wall.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const size = JSON.stringify(out).length;
  process.stdout.write(
    `${name.padEnd(40)} wall ${median(wall).toFixed(1).padStart(7)} ms  cpu ${median(cpu).toFixed(1).padStart(7)} ms  ` +
      `(min wall ${Math.min(...wall).toFixed(1)}; ${runs} runs; JSON ${(size / 1024).toFixed(0)} KiB)\n`,
  );
}

if (process.argv.includes('--fresh') || !existsSync(DB)) {
  rmSync(DB, { force: true });
  rmSync(`${DB}-wal`, { force: true });
  rmSync(`${DB}-shm`, { force: true });
  const w = openDatabase(DB);
  process.stderr.write(`generating ${SNAPSHOTS} snapshots of ${HOSTS} hosts into ${DB}\n`);
  generate(w);
  w.$client.close();
}

const db = openDatabase(DB, { readonly: true });
const count = (sql: string) => (db.$client.prepare(sql).get() as { n: number }).n;
process.stdout.write(
  `store: ${count('SELECT count(*) AS n FROM snapshots')} snapshots, ${count('SELECT count(*) AS n FROM fact_keys')} keys, ` +
    `${count('SELECT count(*) AS n FROM fact_versions')} versions\n`,
);
const first = resolveSnapshot(db, { kind: 'id', id: 1 });
const last = resolveSnapshot(db, { kind: 'latest', back: 0 });
const mid = snapshotAtOrBefore(db, (first.startedAt + last.startedAt) / 2)!;
const someMissing = (db.$client.prepare("SELECT entity FROM fact_keys WHERE source = 'zk.missing' LIMIT 1").get() as { entity: string }).entity;

time('show --at (middle)', 7, () => loadSnapshotView(db, mid));
time('diff first..latest (all sources)', 7, () => loadDiff(db, first, last, SOURCES));
time('diff latest~1..latest', 7, () => loadDiff(db, resolveSnapshot(db, { kind: 'latest', back: 1 }), last, SOURCES));
time('diff middle..latest', 7, () => loadDiff(db, mid, last, SOURCES));
time('drift latest', 7, () => loadDrift(db, last));
time(`missing --host ${someMissing}`, 7, () => loadMissing(db, { host: someMissing }));
time('missing (all hosts, whole history)', 3, () => loadMissing(db, {}));
time(`history ${someMissing}`, 7, () => loadHostHistory(db, someMissing));
time('timeline (last 24h)', 3, () => loadTimeline(db, { since: last.startedAt - 86_400_000 }));
time('drift --since (last 24h)', 3, () => loadDriftHistory(db, { since: last.startedAt - 86_400_000 }));
time('drift --since (whole history)', 3, () => loadDriftHistory(db, {}));
