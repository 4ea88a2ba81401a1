// The bench's command line and the sizes each mode measures.
import { parseArgs } from 'node:util';
import type { StorageCollections } from './sections/storage.js';

export const SECTIONS = ['collection', 'storage', 'queries', 'daemon', 'queries-pg', 'clusters'] as const;
/** The sections that need a PostgreSQL server (the bench starts one only for them). */
export const PG_SECTIONS: readonly Section[] = ['queries-pg', 'clusters'];
export type Section = (typeof SECTIONS)[number];

export interface BenchConfig {
  mode: 'full' | 'quick';
  out: string;
  sections: Section[];
  /** Also profile (node --cpu-prof) the largest collection and two CLI queries. */
  profile: boolean;
  /** rtts: round trips (ms) added by latency proxies, each measured at the largest size; empty: loopback only. */
  collection: { sizes: number[]; runs: number; baselineRuns: number; rtts: number[] };
  storage: StorageCollections;
  queries: { hosts: number; snapshots: number; minIterations: number; maxIterations: number; budgetMs: number; cliRuns: number; naiveSnapshots: number };
  daemon: { ticks: number; capMs: number };
  /** queries-pg: the queries section's history (of queries.hosts) at this length on both stores. */
  queriesPg: { snapshots: number };
  /** clusters: `clusters` histories of `hosts`, `ticks` collections `stepMs` apart, one writer each; per-cluster query calls. */
  clusters: { clusters: number; hosts: number; ticks: number; stepMs: number; sqlite: boolean; sequential: boolean; minIterations: number; maxIterations: number; budgetMs: number };
  /** --scale: the queries section over histories of these lengths instead (not part of the default run). */
  scale: number[] | null;
}

export const SCALE_SIZES = [10_000, 100_000, 525_600];

const FULL: Omit<BenchConfig, 'mode' | 'out' | 'sections' | 'profile' | 'scale'> = {
  collection: { sizes: [500, 2000, 5000], runs: 4, baselineRuns: 2, rtts: [0.25, 0.5, 1] },
  storage: { none: 40, onePercent: 60, tenPercent: 16, longRun: { onePercent: [500, 400], tenPercent: [150, 100] } },
  queries: { hosts: 5000, snapshots: 100_000, minIterations: 20, maxIterations: 200, budgetMs: 4000, cliRuns: 20, naiveSnapshots: 20 },
  daemon: { ticks: 100, capMs: 450_000 },
  queriesPg: { snapshots: 100_000 },
  clusters: { clusters: 20, hosts: 5000, ticks: 1440, stepMs: 60_000, sqlite: true, sequential: false, minIterations: 10, maxIterations: 50, budgetMs: 500 },
};

const QUICK: Omit<BenchConfig, 'mode' | 'out' | 'sections' | 'profile' | 'scale'> = {
  collection: { sizes: [200, 1000], runs: 3, baselineRuns: 1, rtts: [0.25, 0.5, 1] },
  storage: { none: 8, onePercent: 10, tenPercent: 4, longRun: { onePercent: [40, 10], tenPercent: [10, 4] } },
  queries: { hosts: 5000, snapshots: 5000, minIterations: 5, maxIterations: 50, budgetMs: 800, cliRuns: 4, naiveSnapshots: 3 },
  daemon: { ticks: 15, capMs: 60_000 },
  queriesPg: { snapshots: 5000 },
  clusters: { clusters: 4, hosts: 1000, ticks: 60, stepMs: 60_000, sqlite: true, sequential: false, minIterations: 5, maxIterations: 20, budgetMs: 200 },
};

export const USAGE = `usage: npm run bench -- [--quick] [--out results.json] [--only collection,storage,queries,daemon,queries-pg,clusters] [--profile] [--rtt 0.25,0.5,1]
  --quick   smaller clusters, fewer snapshots and runs (about 2 minutes)
  --out     where to write the JSON results (default .tmp/bench/results.json)
  --only    run only these sections (storage needs collection's saved observation from the same run)
  --rtt     round trips (ms) at which the largest collection is measured again through latency proxies
            (default 0.25,0.5,1; 0: through the proxies with no delay; none: loopback only)
  --sizes   the cluster sizes of the collection section instead (the largest also serves storage and daemon)
  --daemon-ticks N  the daemon section's ticks (default 100; 15 with --quick)
  queries-pg and clusters run on PostgreSQL: a throwaway server the bench starts and stops (TREESNAP_PG: that server instead)
  --pg-snapshots N  queries-pg's history length, on both stores (default 100,000; 5,000 with --quick)
  --clusters N, --cluster-hosts N, --cluster-ticks N  the clusters section's size (default 20 x 5,000 hosts x 1,440 1-minute ticks;
            4 x 1,000 x 60 with --quick); --clusters-pg-only: without its SQLite comparison;
            --clusters-sequential: PostgreSQL's writes of a tick one after another too (no wait on the write lock)
  --profile also profile (node --cpu-prof) the largest collection and two CLI queries, and print where time went
  --scale   only the queries section, over histories of 10,000, 100,000 and 525,600 snapshots (generated once, cached),
            with each query's p99 at the largest against the smallest; --scale-sizes N,N,... to choose the lengths`;

export function parseBenchArgs(argv: string[]): BenchConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      out: { type: 'string', default: '.tmp/bench/results.json' },
      only: { type: 'string' },
      profile: { type: 'boolean', default: false },
      scale: { type: 'boolean', default: false },
      'scale-sizes': { type: 'string' },
      rtt: { type: 'string' },
      sizes: { type: 'string' },
      'daemon-ticks': { type: 'string' },
      'pg-snapshots': { type: 'string' },
      clusters: { type: 'string' },
      'cluster-hosts': { type: 'string' },
      'cluster-ticks': { type: 'string' },
      'clusters-pg-only': { type: 'boolean', default: false },
      'clusters-sequential': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const sections = values.only ? values.only.split(',').map((s) => s.trim()) : [...SECTIONS];
  const unknown = sections.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length) throw new Error(`--only: unknown section ${unknown.join(', ')}; one of ${SECTIONS.join(', ')}`);
  const daemonTicks = values['daemon-ticks'] === undefined ? null : Number(values['daemon-ticks']);
  if (daemonTicks !== null && !(Number.isInteger(daemonTicks) && daemonTicks >= 2)) throw new Error(`--daemon-ticks: a whole number >= 2, got ${values['daemon-ticks']}`);
  const scale = values['scale-sizes'] ? values['scale-sizes'].split(',').map(Number) : values.scale ? SCALE_SIZES : null;
  if (scale?.some((n) => !Number.isInteger(n) || n < 2)) throw new Error(`--scale-sizes: whole numbers of snapshots >= 2, got ${values['scale-sizes']}`);
  const sizes = values.quick ? QUICK : FULL;
  const rtts = values.rtt === undefined ? sizes.collection.rtts : values.rtt === 'none' ? [] : values.rtt.split(',').map(Number);
  if (rtts.some((r) => !Number.isFinite(r) || r < 0)) throw new Error(`--rtt: round trips in ms >= 0, comma-separated (or none), got ${values.rtt}`);
  const hosts = values.sizes ? values.sizes.split(',').map(Number) : sizes.collection.sizes;
  if (hosts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--sizes: whole numbers of hosts, comma-separated, got ${values.sizes}`);
  const whole = (flag: string, min: number, fallback: number): number => {
    const given = (values as Record<string, unknown>)[flag] as string | undefined;
    if (given === undefined) return fallback;
    const n = Number(given);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${flag}: a whole number >= ${min}, got ${given}`);
    return n;
  };
  const clusters = {
    ...sizes.clusters,
    clusters: whole('clusters', 1, sizes.clusters.clusters),
    hosts: whole('cluster-hosts', 32, sizes.clusters.hosts),
    ticks: whole('cluster-ticks', 2, sizes.clusters.ticks),
    sqlite: !values['clusters-pg-only'],
    sequential: values['clusters-sequential'],
  };
  return {
    mode: values.quick ? 'quick' : 'full',
    out: values.out,
    sections: scale ? ['queries'] : (sections as Section[]),
    profile: values.profile,
    ...sizes,
    collection: { ...sizes.collection, sizes: hosts, rtts },
    queriesPg: { snapshots: whole('pg-snapshots', 2, sizes.queriesPg.snapshots) },
    clusters,
    ...(daemonTicks === null ? {} : { daemon: { ticks: daemonTicks, capMs: Math.max(sizes.daemon.capMs, daemonTicks * 9000) } }),
    scale,
  };
}
