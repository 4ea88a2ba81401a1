// Section 3: the queries an operator runs after an incident, on a generated
// history (history/generate-history.ts, written through writeSnapshotDelta):
// inside one process (many iterations, each on a different target: a random
// snapshot, time or flapping host), and as whole CLI calls (`bin/treesnap
// ... --json`, process start included). Then the naive
// reference (every fact stored every collection) for storage and diff.
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadDiff } from '../../src/query/load-diff.js';
import { loadDriftHistory } from '../../src/query/load-drift-history.js';
import { loadTimeline } from '../../src/query/load-timeline.js';
import { judgeDriftHistory, loadSettledDrift, type DriftPolicy } from '../../src/query/load-settled-drift.js';
import { DEFAULT_SETTLE_MS } from '../../src/query/settling.js';

/** `drift`'s defaults: the 60 s settle window, no ignore rules. */
const DRIFT_POLICY: DriftPolicy = { settle: { defaultMs: DEFAULT_SETTLE_MS, perKind: {} }, rules: [], today: '2026-12-04' };
import { loadHostHistory, loadHostHistoryPage } from '../../src/query/load-host-history.js';
import { loadMissing } from '../../src/query/load-missing.js';
import { loadMissingPage } from '../../src/query/load-missing-page.js';
import { showParts } from '../../src/cli/commands/show.js';
import { listSnapshotsWithOutcomes } from '../../src/query/list-snapshots.js';
import { loadSnapshotOverview, loadSnapshotView } from '../../src/query/load-snapshot.js';
import { SOURCES } from '../../src/snapshot/source-name.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import type { HistoryReader } from '../../src/store/history-reader.js';
import { resolveSnapshot, snapshotById, type SnapshotRow } from '../../src/store/snapshot-index.js';
import { generateHistory, historySpec, type HistorySpec } from '../history/generate-history.js';
import { historyFile, type HistoryFile } from '../history/history-cache.js';
import { Prng } from '../history/prng.js';
import { FullSnapshotStore } from '../naive/full-snapshot-store.js';
import { profileTable, summarizeProfileDir, type ProfileSummary } from '../cpu-profile.js';
import { CLI, ROOT, run } from '../processes.js';
import { median, summarize, type Summary } from '../stats.js';
import { table, type Cell } from '../table.js';
import { readWholeFile } from '../warm-file.js';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const SIX_HOURS_MS = DAY_MS / 4;
const SNAPSHOTS_PER_DAY = 288;

export interface Targets {
  first: SnapshotRow;
  last: SnapshotRow;
  /** Hosts with the most /missing episodes. */
  flappers: string[];
}

export interface QueryCase {
  name: string;
  /** Also timed as a whole CLI call (the cheap variants are left to in-process timing to keep the run short). */
  viaCli: boolean;
  /** A fresh call on a random target, as the CLI answers it: through a history's reader, SQLite's or PostgreSQL's. */
  inProcess(db: HistoryReader, t: Targets, p: Prng): () => unknown;
  /** It needs what only the long generated history has: a flapping host, or more than a day of snapshots (clusters.ts's have neither). */
  longHistory?: true;
  cli(t: Targets, p: Prng): string[];
  /** The CLI call prints the terminal text instead of --json. */
  text?: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();
const randomId = (t: Targets, p: Prng, from = 1) => from + p.int(t.last.id - from + 1);
const row = (db: HistoryReader, id: number) => db.snapshotById(id)!;
const randomTime = (t: Targets, p: Prng, from = t.first.startedAt) => from + p.int(t.last.startedAt - from);

export const CASES: QueryCase[] = [
  {
    name: 'show (latest)',
    viaCli: false,
    inProcess: (db) => () => loadSnapshotOverview(db, db.resolveSnapshot({ kind: 'latest', back: 0 }), showParts(['zk'], false)),
    cli: () => ['show'],
    text: true,
  },
  {
    name: 'show --at TIME',
    viaCli: true,
    inProcess: (db, t, p) => {
      const at = randomTime(t, p);
      // What `show` reads for its default view (the ZooKeeper tree; src/cli/commands/show.ts).
      return () => loadSnapshotOverview(db, db.resolveSnapshot({ kind: 'time', at }), showParts(['zk'], false));
    },
    cli: (t, p) => ['show', '--at', iso(randomTime(t, p))],
    text: true,
  },
  {
    name: 'show --at TIME --json (every HostConfig)',
    viaCli: true,
    inProcess: (db, t, p) => {
      const at = randomTime(t, p);
      return () => loadSnapshotView(db, db.resolveSnapshot({ kind: 'time', at }));
    },
    cli: (t, p) => ['show', '--at', iso(randomTime(t, p))],
  },
  {
    name: 'snapshots (newest 50)',
    viaCli: false,
    inProcess: (db) => () => listSnapshotsWithOutcomes(db, { limit: 50 }),
    cli: () => ['snapshots'],
  },
  {
    name: 'diff near (consecutive snapshots)',
    viaCli: true,
    inProcess: (db, t, p) => {
      const b = randomId(t, p, 2);
      return () => loadDiff(db, row(db, b - 1), row(db, b), SOURCES);
    },
    cli: (t, p) => {
      const b = randomId(t, p, 2);
      return ['diff', String(b - 1), String(b)];
    },
  },
  {
    name: 'diff 1 day apart',
    viaCli: false,
    longHistory: true,
    inProcess: (db, t, p) => {
      const b = randomId(t, p, SNAPSHOTS_PER_DAY + 1);
      return () => loadDiff(db, row(db, b - SNAPSHOTS_PER_DAY), row(db, b), SOURCES);
    },
    cli: (t, p) => {
      const b = randomId(t, p, SNAPSHOTS_PER_DAY + 1);
      return ['diff', String(b - SNAPSHOTS_PER_DAY), String(b)];
    },
  },
  {
    name: 'diff distant (first → latest)',
    viaCli: true,
    inProcess: (db, t) => () => loadDiff(db, t.first, t.last, SOURCES),
    cli: () => ['diff', '1', 'latest'],
  },
  {
    name: 'drift SNAPSHOT',
    viaCli: true,
    inProcess: (db, t, p) => {
      const id = randomId(t, p);
      // What `drift` does: the items, each judged on its settle history, the ignore rules, the blast radius.
      return () => loadSettledDrift(db, row(db, id), DRIFT_POLICY);
    },
    cli: (t, p) => ['drift', String(randomId(t, p))],
  },
  {
    name: 'drift --since (24 h window)',
    viaCli: true,
    longHistory: true,
    inProcess: (db, t, p) => {
      const until = randomTime(t, p, t.first.startedAt + DAY_MS);
      return () => judgeDriftHistory(loadDriftHistory(db, { since: until - DAY_MS, until }), DRIFT_POLICY);
    },
    cli: (t, p) => {
      const until = randomTime(t, p, t.first.startedAt + DAY_MS);
      return ['drift', '--since', iso(until - DAY_MS), '--until', iso(until)];
    },
  },
  {
    name: 'timeline --since (6 h window)',
    viaCli: true,
    longHistory: true,
    inProcess: (db, t, p) => {
      const until = randomTime(t, p, t.first.startedAt + SIX_HOURS_MS);
      return () => loadTimeline(db, { since: until - SIX_HOURS_MS, until });
    },
    cli: (t, p) => {
      const until = randomTime(t, p, t.first.startedAt + SIX_HOURS_MS);
      return ['timeline', '--since', iso(until - SIX_HOURS_MS), '--until', iso(until)];
    },
  },
  {
    name: 'missing --host (flapping host, all history)',
    viaCli: true,
    longHistory: true,
    inProcess: (db, t, p) => {
      const host = p.pick(t.flappers);
      return () => loadMissing(db, { host });
    },
    cli: (t, p) => ['missing', '--host', p.pick(t.flappers)],
  },
  {
    name: 'history HOST (flapping host)',
    viaCli: true,
    longHistory: true,
    inProcess: (db, t, p) => {
      const host = p.pick(t.flappers);
      return () => loadHostHistory(db, host);
    },
    cli: (t, p) => ['history', p.pick(t.flappers)],
  },
  // Issue 21: a window bounds what is read, so these cost what the last week holds, however long the history.
  {
    name: 'missing --host --since (last 7 days)',
    viaCli: true,
    longHistory: true,
    inProcess: (db, t, p) => {
      const host = p.pick(t.flappers);
      return () => loadMissing(db, { host, since: t.last.startedAt - WEEK_MS });
    },
    cli: (t, p) => ['missing', '--host', p.pick(t.flappers), '--since', iso(t.last.startedAt - WEEK_MS)],
  },
  {
    name: 'history HOST --since (last 7 days)',
    viaCli: true,
    longHistory: true,
    inProcess: (db, t, p) => {
      const host = p.pick(t.flappers);
      return () => loadHostHistory(db, host, { since: t.last.startedAt - WEEK_MS });
    },
    cli: (t, p) => ['history', p.pick(t.flappers), '--since', iso(t.last.startedAt - WEEK_MS)],
  },
  // --limit bounds the read too: the page is read as a window from its oldest item (load-host-history.ts, load-missing-page.ts).
  {
    name: 'missing --host --limit 50',
    viaCli: true,
    longHistory: true,
    inProcess: (db, t, p) => {
      const host = p.pick(t.flappers);
      return () => loadMissingPage(db, { host }, 50);
    },
    cli: (t, p) => ['missing', '--host', p.pick(t.flappers), '--limit', '50'],
  },
  // What `missing` at a terminal answers: every host's newest 100 episodes (its text page), read for those hosts alone.
  {
    name: 'missing (every host, newest 100)',
    viaCli: true,
    longHistory: true,
    inProcess: (db) => () => loadMissingPage(db, {}, 100),
    cli: () => ['missing'],
    text: true,
  },
  {
    name: 'history HOST --limit 50',
    viaCli: true,
    longHistory: true,
    inProcess: (db, t, p) => {
      const host = p.pick(t.flappers);
      return () => loadHostHistoryPage(db, host, {}, 50);
    },
    cli: (t, p) => ['history', p.pick(t.flappers), '--limit', '50'],
  },
];

/** Issue 21's bounded reads: p99 in process under this at any history length (the --scale table marks them). */
export const BOUNDED_TARGET_MS = 50;
export const BOUNDED_QUERIES = new Set([
  'drift --since (24 h window)',
  'timeline --since (6 h window)',
  'missing --host --since (last 7 days)',
  'history HOST --since (last 7 days)',
  'missing --host --limit 50',
  'history HOST --limit 50',
]);

export interface QueryTiming {
  name: string;
  /** The first call of the process (statements prepared, pages not yet cached): a warm-up, left out of `ms`. */
  firstMs: number;
  /** The calls after the first. */
  ms: Summary;
  /** The answer's size: the median bytes of the first few calls' results as JSON (Maps and Sets as arrays); timeCalls measures it. */
  answerBytes?: number;
}

export interface CliTiming {
  name: string;
  /** Process start alone, for reference: not a query, no target. */
  reference: boolean;
  /** Not a treesnap call: the floor under any query on this machine (query-floor.cjs), judged by no target. */
  yardstick?: boolean;
  ms: Summary;
  failures: string[];
  /** Issue 21 item 4: the peak RSS of one more call (the first's arguments), measured by the process itself. */
  peakRssMiB?: number | null;
  /**
   * Issue 17 item 5: a bare `node -e 0` run just before each call (A B A B ...),
   * and the median of the per-pair ratios call / node -e 0, so the figure holds
   * while the machine's speed drifts. Absent for verify.
   */
  floor?: { ms: Summary; ratio: number };
}

export interface NaiveResult {
  /** Snapshots actually stored (the naive store grows by a full cluster per collection). */
  snapshotsStored: number;
  rowsPerSnapshot: number;
  bytesPerSnapshot: number;
  /** Extrapolated to the history's snapshot count, labelled as such. */
  extrapolatedBytes: number;
  diffMs: Summary;
  diffRows: number;
}

export interface QueryResult {
  history: {
    path: string;
    spec: HistorySpec;
    reused: boolean;
    generationMs: number;
    bytes: number;
    bytesPerSnapshot: number;
    keys: number;
    versions: number;
    failedCollections: number;
  };
  inProcess: QueryTiming[];
  cli: CliTiming[];
  naive: NaiveResult;
  /** Naive extrapolated bytes / ours; naive diff p50 / our near and distant diff p50. */
  ratios: { storage: number; diffNear: number; diffDistant: number };
  /** `treesnap verify --quick` (SQLite's quick_check: what collect and run pay on opening the file) and the full `verify`, as CLI calls. */
  verify: { quick: CliTiming; full: CliTiming };
  /** With --profile: one CLI call per query kind named, under node --cpu-prof. */
  profiles?: { name: string; profile: ProfileSummary | null }[];
}

/** One CLI call of a case: its arguments (drawn from `p`) on the history at `path`, with --json unless it prints text. */
function cliArgs(c: QueryCase, t: Targets, p: Prng, path: string): string[] {
  return [...c.cli(t, p), '--db', path, ...(c.text ? [] : ['--json'])];
}

async function profileCli(path: string, t: Targets, workDir: string): Promise<{ name: string; profile: ProfileSummary | null }[]> {
  const out = [];
  for (const c of CASES.filter((q) => q.name.startsWith('show') || q.name.startsWith('drift SNAPSHOT'))) {
    const dir = join(workDir, `profile-cli-${out.length}`);
    mkdirSync(dir, { recursive: true });
    const args = cliArgs(c, t, new Prng(17), path);
    // In NODE_OPTIONS, which makes bin/treesnap start without its snapshot: the profile shows the plain start.
    await run(args, { timeoutMs: 60_000, command: CLI, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
    out.push({ name: c.name, profile: summarizeProfileDir(dir) });
  }
  return out;
}

export interface QueryOptions {
  hosts: number;
  snapshots: number;
  cacheDir: string;
  workDir: string;
  /** Per in-process query: stop after maxIterations calls or budgetMs, whichever first, but not before minIterations. */
  minIterations: number;
  maxIterations: number;
  budgetMs: number;
  cliRuns: number;
  naiveSnapshots: number;
  log: (line: string) => void;
  /** Also profile one CLI call of each of the slowest kinds. */
  profile?: boolean;
}

export function targets(db: Db): Targets {
  const flappers = db.$client
    .prepare(
      `SELECT k.entity AS host FROM fact_keys k JOIN fact_versions v ON v.key_id = k.id
       WHERE k.source = 'zk.missing' AND k.kind = 'missing' GROUP BY k.id ORDER BY count(*) DESC LIMIT 20`,
    )
    .pluck()
    .all() as string[];
  return { first: snapshotById(db, 1)!, last: resolveSnapshot(db, { kind: 'latest', back: 0 }), flappers };
}

export type Iterations = Pick<QueryOptions, 'minIterations' | 'maxIterations' | 'budgetMs'>;

/** How many calls' answers are sized (outside the timed call): enough for a median, few enough to cost little. */
const ANSWERS_SIZED = 5;

/** A result's size as JSON, Maps and Sets as arrays of their entries: how large the answer is, whatever the history's length. */
function answerBytes(value: unknown): number {
  try {
    const json = JSON.stringify(value, (_k, v: unknown) => (v instanceof Map || v instanceof Set ? [...v] : v));
    return json === undefined ? 0 : Buffer.byteLength(json);
  } catch {
    return Number.NaN; // not JSON (a cycle, a BigInt): the size is unknown, the timing stands
  }
}

/**
 * Calls a fresh `make()` until maxIterations or the budget, but not before
 * minIterations; a call that returns a promise is timed until it settles (the
 * store's contract), one that does not is not awaited (SQLite's synchronous path).
 */
export async function timeCalls(name: string, make: (p: Prng) => () => unknown, o: Iterations): Promise<QueryTiming> {
  const p = new Prng(11);
  const samples: number[] = [];
  const answers: number[] = [];
  const started = performance.now();
  while (samples.length < o.maxIterations && (samples.length <= o.minIterations || performance.now() - started < o.budgetMs)) {
    const call = make(p);
    const t0 = performance.now();
    const out = call();
    const value = out instanceof Promise ? await out : out;
    samples.push(performance.now() - t0);
    if (answers.length < ANSWERS_SIZED) answers.push(answerBytes(value));
  }
  return { name, firstMs: samples[0]!, ms: summarize(samples.slice(1)), answerBytes: summarize(answers).p50 };
}

/** One bare Node start, timed like a CLI call. */
async function bareNodeMs(): Promise<number> {
  return (await run(['-e', '0'], { timeoutMs: 30_000 })).wallMs;
}

const PEAK_RSS_PRELOAD = ['--require', join(ROOT, 'bench', 'report-peak-rss.cjs')];

/** The peak RSS of one call (`bin/treesnap ARGS`, or `node ARGS`), from the line report-peak-rss.cjs prints at its exit; null when absent. */
async function measurePeakRss(args: string[], of: 'treesnap' | 'node' = 'treesnap'): Promise<number | null> {
  const r =
    of === 'treesnap'
      ? await run(args, { timeoutMs: 60_000, command: CLI, nodeArgs: PEAK_RSS_PRELOAD })
      : await run([...PEAK_RSS_PRELOAD, ...args], { timeoutMs: 60_000 });
  const kib = /treesnap-bench peak-rss-kib (\d+)\s*$/.exec(r.stderr);
  return kib ? Number(kib[1]) / 1024 : null;
}

function withFloor(timing: Omit<CliTiming, 'floor'>, samples: number[], floors: number[]): CliTiming {
  return { ...timing, floor: { ms: summarize(floors), ratio: median(samples.map((ms, i) => ms / floors[i]!)) } };
}

async function timeCli(path: string, t: Targets, c: QueryCase, runs: number): Promise<CliTiming> {
  const p = new Prng(13);
  const samples: number[] = [];
  const floors: number[] = [];
  const failures: string[] = [];
  for (let i = 0; i < runs; i++) {
    const args = cliArgs(c, t, p, path);
    floors.push(await bareNodeMs());
    const r = await run(args, { timeoutMs: 60_000, command: CLI });
    // drift exits 3 when it finds drift: a result, not a failure.
    if (r.code !== 0 && r.code !== 3) failures.push(`exit ${r.code}: ${r.stderr.trim().slice(0, 200)}`);
    samples.push(r.wallMs);
  }
  const peak = await measurePeakRss(cliArgs(c, t, new Prng(13), path));
  return withFloor({ name: c.name, reference: false, ms: summarize(samples), failures, peakRssMiB: peak }, samples, floors);
}

/** verify exits 0 on an intact file: anything else is a failure of the run. */
async function timeVerify(path: string, name: string, args: string[], runs: number): Promise<CliTiming> {
  const samples: number[] = [];
  const failures: string[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await run(['verify', ...args, '--db', path], { timeoutMs: 600_000, command: CLI });
    if (r.code !== 0) failures.push(`exit ${r.code}: ${r.stderr.trim().slice(0, 200)}`);
    samples.push(r.wallMs);
  }
  return { name, reference: false, ms: summarize(samples), failures };
}

/** node ARGS: the floor under any query (query-floor.cjs) on the history at `path`. */
const floorArgs = (path: string) => [join(ROOT, 'bench', 'query-floor.cjs'), path];

/**
 * `node -e 0`, `treesnap --version` and the floor under any query in turn, each
 * compared with the `node -e 0` run just before it: what Node, treesnap's start
 * and opening the history with one read cost before any query does its work.
 */
async function startupRows(path: string, runs: number): Promise<CliTiming[]> {
  const floors: number[] = [];
  const version: number[] = [];
  const query: number[] = [];
  for (let i = 0; i < runs; i++) {
    floors.push(await bareNodeMs());
    version.push((await run(['--version'], { timeoutMs: 30_000, command: CLI })).wallMs);
    query.push((await run(floorArgs(path), { timeoutMs: 30_000 })).wallMs);
  }
  return [
    { name: 'node -e 0 (bare Node start)', reference: true, ms: summarize(floors), failures: [], peakRssMiB: await measurePeakRss(['-e', '0'], 'node') },
    withFloor({ name: 'treesnap --version (CLI start, no query)', reference: true, ms: summarize(version), failures: [], peakRssMiB: await measurePeakRss(['--version']) }, version, floors),
    withFloor(
      {
        name: 'floor of any query: Node + better-sqlite3, the file opened, one read (not treesnap)',
        reference: true,
        yardstick: true,
        ms: summarize(query),
        failures: [],
        peakRssMiB: await measurePeakRss(floorArgs(path), 'node'),
      },
      query,
      floors,
    ),
  ];
}

function naiveReference(o: QueryOptions): NaiveResult {
  const store = new FullSnapshotStore(join(o.workDir, 'naive-full-snapshots.db'));
  const spec = historySpec(o.hosts, o.naiveSnapshots);
  let n = 0;
  generateHistory(spec, (_delta, cluster) => store.write(++n, cluster));
  const bytes = store.bytes();
  const samples: number[] = [];
  let diffRows = 0;
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    diffRows = store.diff(1, n).length;
    samples.push(performance.now() - t0);
  }
  const result = {
    snapshotsStored: n,
    rowsPerSnapshot: store.rows / n,
    bytesPerSnapshot: bytes / n,
    extrapolatedBytes: (bytes / n) * o.snapshots,
    diffMs: summarize(samples),
    diffRows,
  };
  store.close();
  return result;
}

export async function benchQueries(o: QueryOptions): Promise<QueryResult> {
  const spec = historySpec(o.hosts, o.snapshots);
  const file: HistoryFile = historyFile(o.cacheDir, spec, (done) => o.log(`  generated ${done}/${spec.snapshots} snapshots`));
  o.log(file.reused ? `  reusing ${file.path}` : `  generated ${file.path} in ${(file.generated.ms / 1000).toFixed(1)} s`);
  const db = openDatabase(file.path, { readonly: true });
  const count = (sql: string) => db.$client.prepare(sql).pluck().get() as number;
  const t = targets(db);
  const inProcess: QueryTiming[] = [];
  // Before each case the file is read again (warm-file.ts): the VM evicts it from the page cache within minutes.
  const warm = () => `file read first in ${readWholeFile(file.path).toFixed(0)} ms`;
  for (const c of CASES) {
    o.log(`  in process: ${c.name} (${warm()})`);
    inProcess.push(await timeCalls(c.name, (p) => c.inProcess(db, t, p), o));
  }
  const bytes = statSync(file.path).size;
  const history = {
    path: file.path,
    spec,
    reused: file.reused,
    generationMs: file.generated.ms,
    bytes,
    bytesPerSnapshot: bytes / t.last.id,
    keys: count('SELECT count(*) FROM fact_keys'),
    versions: count('SELECT count(*) FROM fact_versions'),
    failedCollections: file.generated.failedCollections,
  };
  db.$client.close();
  const cli: CliTiming[] = await startupRows(file.path, Math.ceil(o.cliRuns / 2));
  for (const c of CASES.filter((q) => q.viaCli)) {
    o.log(`  CLI: ${c.name} (${warm()})`);
    cli.push(await timeCli(file.path, t, c, o.cliRuns));
  }
  o.log('  CLI: verify --quick, verify');
  const verify = {
    quick: await timeVerify(file.path, 'verify --quick', ['--quick'], 3),
    full: await timeVerify(file.path, 'verify', [], 1),
  };
  const profiles = o.profile ? await profileCli(file.path, t, o.workDir) : undefined;
  o.log(`  naive reference: ${o.naiveSnapshots} full snapshots`);
  const naive = naiveReference(o);
  const p50 = (name: string) => inProcess.find((q) => q.name.startsWith(name))!.ms.p50;
  return {
    history,
    inProcess,
    cli,
    naive,
    verify,
    profiles,
    ratios: {
      storage: naive.extrapolatedBytes / bytes,
      diffNear: naive.diffMs.p50 / p50('diff near'),
      diffDistant: naive.diffMs.p50 / p50('diff distant'),
    },
  };
}

const MiB = 2 ** 20;

export function queryTables(r: QueryResult, targets: { inProcessMs: (name: string) => number; cliMs: number; floorRatio: number }): string {
  const h = r.history;
  const mark = (v: number, limit: number) => (v < limit ? 'yes' : `NO (${(v / limit).toFixed(1)}x)`);
  const inProc = table(
    `Queries in process: ${h.spec.snapshots} snapshots of ${h.spec.hosts} hosts (${(h.bytes / MiB).toFixed(0)} MiB, ${h.versions} versions); ms`,
    ['query', 'calls after the 1st', '1st call', 'p50', 'p99', 'max', 'p99 target', 'met'],
    r.inProcess.map((q): Cell[] => [q.name, q.ms.n, q.firstMs, q.ms.p50, q.ms.p99, q.ms.max, targets.inProcessMs(q.name), mark(q.ms.p99, targets.inProcessMs(q.name))]),
  );
  const floor = targets.floorRatio;
  const cli = table(
    `Whole CLI calls (bin/treesnap ... --db FILE --json, but plain \`show\`; process start included); ms. Each call follows a bare \`node -e 0\`; x node = median of the pairs' ratios`,
    ['command', 'runs', 'p50', 'p99', 'max', `p99 < ${targets.cliMs}`, 'node -e 0 p50', 'x node', `<= ${floor}x`, 'failures'],
    r.cli.map((q): Cell[] => [
      q.name,
      q.ms.n,
      q.ms.p50,
      q.ms.p99,
      q.ms.max,
      q.reference ? '(reference)' : mark(q.ms.p99, targets.cliMs),
      q.floor?.ms.p50 ?? null,
      q.floor?.ratio ?? null,
      q.floor && !q.yardstick ? (q.floor.ratio <= floor ? 'yes' : `NO (${(q.floor.ratio / floor).toFixed(2)}x)`) : null,
      q.failures.length,
    ]),
  );
  const n = r.naive;
  const naive = table(
    `Naive reference: every fact stored every collection (${n.snapshotsStored} snapshots stored, extrapolated to ${h.spec.snapshots})`,
    ['measure', 'naive', 'treesnap', 'ratio'],
    [
      ['storage, MiB', n.extrapolatedBytes / MiB, h.bytes / MiB, r.ratios.storage],
      ['bytes per snapshot', n.bytesPerSnapshot, h.bytesPerSnapshot, n.bytesPerSnapshot / h.bytesPerSnapshot],
      ['diff near, p50 ms', n.diffMs.p50, n.diffMs.p50 / r.ratios.diffNear, r.ratios.diffNear],
      ['diff distant, p50 ms', n.diffMs.p50, n.diffMs.p50 / r.ratios.diffDistant, r.ratios.diffDistant],
    ],
  );
  const verify = table(
    `Checking the history file (${h.spec.snapshots} snapshots, ${(h.bytes / MiB).toFixed(0)} MiB); whole CLI calls, ms`,
    ['command', 'runs', 'p50', 'max', 'failures'],
    [r.verify.quick, r.verify.full].map((q): Cell[] => [q.name, q.ms.n, q.ms.p50, q.ms.max, q.failures.length]),
  );
  const profiles = (r.profiles ?? []).flatMap((p) => (p.profile ? [profileTable(`Profile of one CLI call: ${p.name}`, p.profile)] : []));
  return [inProc, cli, verify, naive, ...profiles].join('\n');
}
