// The bench's PostgreSQL sections (queries-pg, clusters): their tables, cache
// names and options. Pure logic only; no timing is asserted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historySpec } from '../../../bench/history/generate-history.js';
import { historyCacheName } from '../../../bench/history/history-cache.js';
import { parseBenchArgs } from '../../../bench/options.js';
import { databaseUrl } from '../../../bench/postgres.js';
import type { ClusterRow, ClustersResult } from '../../../bench/sections/clusters.js';
import { clusterName, clusterSpec } from '../../../bench/sections/clusters.js';
import { clustersTables, range } from '../../../bench/sections/clusters-table.js';
import { enginesTable, historiesLine, type QueriesPgResult } from '../../../bench/sections/queries-pg.js';
import { summarize } from '../../../bench/stats.js';
import { CASES } from '../../../bench/sections/queries.js';
import { Prng } from '../../../bench/history/prng.js';

const timing = (name: string, samples: number[]) => ({ name, firstMs: 99, ms: summarize(samples) });

function queriesPg(): QueriesPgResult {
  return {
    spec: historySpec(5000, 100_000),
    sqlite: { reused: true, generationMs: 120_000, bytes: 300 * 2 ** 20 },
    postgres: { origin: 'throwaway', reused: false, generationMs: 360_000, restoreMs: null, dumpBytes: 21 * 2 ** 20, databaseBytes: 500 * 2 ** 20 },
    rows: [
      { name: 'show --at TIME', sqlite: timing('show --at TIME', [10, 20, 30]), postgres: timing('show --at TIME', [40, 50, 60]) },
      { name: 'diff near', sqlite: timing('diff near', [1, 2, 3]), postgres: timing('diff near', [8, 10, 12]) },
    ],
  };
}

const line = (text: string, start: string) => text.split('\n').find((l) => l.startsWith(start))!;

test('each query shows its p50/p99 on both stores and their ratio', () => {
  const text = enginesTable(queriesPg());
  assert.deepEqual(line(text, 'show --at TIME').split(/\s{2,}/), ['show --at TIME', '3', '20', '30', '3', '50', '60', '2.50']);
  assert.deepEqual(line(text, 'diff near').split(/\s{2,}/), ['diff near', '3', '2', '3', '3', '10', '12', '5']);
  assert.match(text, /SQLite 300 MiB, PostgreSQL 500 MiB/);
});

test('how each history came to be: generated this run, or restored from the cache with the time it took when made', () => {
  const r = queriesPg();
  assert.match(historiesLine(r), /SQLite: cached file \(generated in 120\.0 s when made\); PostgreSQL \(throwaway\): written through the delta API in 360\.0 s/);
  const restored = { ...r, postgres: { ...r.postgres, reused: true, restoreMs: 4200 } };
  assert.match(historiesLine(restored), /restored from its pg_dump \(21 MiB\) in 4\.2 s; written through the delta API in 360\.0 s when made/);
});

test('a cached history is named by engine, schema, size and seed, so a change to any of them regenerates it', () => {
  const spec = historySpec(5000, 100_000);
  const pg = historyCacheName(spec, { engine: 'pg', version: '4.abc' }, 'pgdump');
  assert.equal(pg, 'history-g3-pg4.abc-h5000-s100000-seed20261125.pgdump');
  const others = [
    historyCacheName(spec, { engine: 'm', version: '4.abc' }, 'pgdump'),
    historyCacheName(spec, { engine: 'pg', version: '5.abd' }, 'pgdump'),
    historyCacheName(historySpec(5000, 10_000), { engine: 'pg', version: '4.abc' }, 'pgdump'),
    historyCacheName({ ...spec, seed: 1 }, { engine: 'pg', version: '4.abc' }, 'pgdump'),
  ];
  for (const o of others) assert.notEqual(o, pg);
});

test('clusters are named in order with a fixed width, each with its own seed and the 1-minute step', () => {
  assert.deepEqual([0, 1, 19].map((i) => clusterName(i, 20)), ['c01', 'c02', 'c20']);
  assert.equal(clusterName(4, 100), 'c005');
  const a = clusterSpec(0, { hosts: 5000, ticks: 1440, stepMs: 60_000 });
  const b = clusterSpec(1, { hosts: 5000, ticks: 1440, stepMs: 60_000 });
  assert.equal(a.snapshots, 1440);
  assert.equal(a.stepMs, 60_000);
  assert.notEqual(a.seed, b.seed);
});

test('range: min–max, one number when they agree, a dash for none', () => {
  assert.equal(range([3, 1.25, 2]), '1.3–3.0');
  assert.equal(range([2, 2]), '2.0');
  assert.equal(range([]), '-');
});

function cluster(name: string, writes: number[], rowBytes: number | null): ClusterRow {
  return { cluster: name, firstWriteMs: 1500, writes: summarize(writes), rowBytes, queries: [timing('show (latest)', [5, 6, 7])] };
}

test('each cluster\'s write time is judged against the collection interval; unmeasured row bytes are a dash', () => {
  const r: ClustersResult = {
    spec: { clusters: 2, hosts: 5000, ticks: 3, stepMs: 60_000 },
    generationMs: 1000,
    engines: [
      { engine: 'PostgreSQL', writers: 'concurrent', tickMs: summarize([10, 20]), databaseBytes: 10 * 2 ** 20, clusters: [cluster('c01', [10, 20], 2 ** 20), cluster('c02', [10, 120_000], 2 ** 21)] },
      { engine: 'SQLite', writers: 'one after another', tickMs: summarize([1, 2]), databaseBytes: 2 ** 20, clusters: [cluster('c01', [1, 2], null), cluster('c02', [1, 2], null)] },
    ],
  };
  const text = clustersTables(r);
  const pgPart = text.slice(0, text.indexOf('SQLite: 2 clusters'));
  assert.deepEqual(line(pgPart, 'c01').split(/\s{2,}/), ['c01', '2', '1500', '10', '20', '20', 'yes', '1']);
  assert.deepEqual(line(pgPart, 'c02').split(/\s{2,}/), ['c02', '2', '1500', '10', '120000', '120000', 'NO (2.0x)', '2']);
  const sqlitePart = text.slice(text.indexOf('SQLite: 2 clusters'));
  assert.deepEqual(line(sqlitePart, 'c01').split(/\s{2,}/), ['c01', '2', '1500', '1', '2', '2', 'yes', '-']);
  assert.match(text, /PostgreSQL: write p50 10\.0 ms, p99 20\.0–120000\.0 ms per cluster/);
});

test('options: the PostgreSQL sections are in the default run, their sizes adjustable, bad sizes refused in one line', () => {
  const c = parseBenchArgs([]);
  assert.ok(c.sections.includes('queries-pg') && c.sections.includes('clusters'));
  assert.deepEqual(c.clusters, { ...c.clusters, clusters: 20, hosts: 5000, ticks: 1440, stepMs: 60_000, sqlite: true });
  assert.equal(c.queriesPg.snapshots, 100_000);
  assert.equal(c.clusters.sequential, false);
  const small = parseBenchArgs(['--only', 'clusters', '--clusters', '3', '--cluster-hosts', '500', '--cluster-ticks', '30', '--clusters-pg-only', '--clusters-sequential', '--pg-snapshots', '2000']);
  assert.deepEqual(small.sections, ['clusters']);
  assert.deepEqual([small.clusters.clusters, small.clusters.hosts, small.clusters.ticks, small.clusters.sqlite, small.clusters.sequential, small.queriesPg.snapshots], [3, 500, 30, false, true, 2000]);
  assert.throws(() => parseBenchArgs(['--clusters', '0']), /^Error: --clusters: a whole number >= 1, got 0$/);
  assert.throws(() => parseBenchArgs(['--cluster-ticks', '1.5']), /--cluster-ticks: a whole number >= 2/);
});

test('databaseUrl names another database on the same server, credentials kept', () => {
  assert.equal(databaseUrl('postgres://u:p@127.0.0.1:5432/postgres', 'treesnap_bench_history'), 'postgres://u:p@127.0.0.1:5432/treesnap_bench_history');
});

test('the clusters section asks only what a day of one cluster can answer: every case that reads a flapping host is marked longHistory', () => {
  // Flappers that throw when read, and a history of one snapshot a minute long: a case not marked must not need either.
  const mark = { id: 1, startedAt: 0, finishedAt: 1, failedSources: 0 };
  const flappers = new Proxy([] as string[], { get: () => assert.fail('reads the flapping hosts') });
  for (const c of CASES.filter((q) => !q.longHistory)) c.inProcess({} as never, { first: mark, last: { ...mark, id: 1440 }, flappers }, new Prng(1));
  const marked = CASES.filter((q) => q.longHistory).map((q) => q.name);
  assert.ok(marked.includes('history HOST --limit 50') && marked.includes('diff 1 day apart'), marked.join(', '));
});
