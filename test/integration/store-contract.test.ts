// The store's async contract (src/store/history-store-contract.ts), one suite
// run against every engine: SQLite (a real file) and PostgreSQL (the real
// server the test command starts, TREESNAP_PG). Each scenario is written to a
// fresh history on each engine, then read back whole: the snapshots, their
// outcomes, every source's facts at sampled snapshots (plain and summarized),
// and the stored rows themselves (versions and checkpoints). The engines must
// answer identically, and each must pass the scenario's own checks.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { NotFoundError } from '../../src/errors.js';
import type { Observation } from '../../src/model/observation.js';
import { sourceError } from '../../src/model/source-error.js';
import type { ZkStat } from '../../src/model/zk-stat.js';
import type { VersionWrite } from '../../src/snapshot/plan-versions.js';
import { SOURCES, STORED_SOURCES } from '../../src/snapshot/source-name.js';
import { openHistoryStore, type HistoryStore } from '../../src/store/history-store.js';
import { openDatabase } from '../../src/store/open-database.js';
import { unpackRows } from '../../src/store/value-codec.js';
import type { SnapshotDelta } from '../../src/store/write-snapshot-delta.js';
import type { SnapshotRef } from '../../src/util/snapshot-ref.js';
import { formatTime } from '../../src/util/time.js';
import { observation, type ClusterSpec } from '../support/observation.js';
import { freshDatabase } from '../support/postgres.js';
import { randomHistory, T0, type Write } from '../support/random-history.js';
import pg from 'pg';

interface Engine {
  name: 'sqlite' | 'postgres';
  /** A fresh empty history, and the rows it stores (for comparing what each engine wrote). */
  open(): Promise<{ store: HistoryStore; rows: () => Promise<StoredRows>; reopen: () => Promise<HistoryStore> }>;
}

interface StoredRows {
  versions: unknown[];
  checkpoints: unknown[];
}

const VERSIONS_SQL = `SELECT k.source, k.kind, k.entity, v.from_snapshot AS snapshot, v.value FROM fact_versions v
  JOIN fact_keys k ON k.id = v.key_id ORDER BY k.source, v.from_snapshot, k.kind, k.entity`;
const CHECKPOINTS_SQL = 'SELECT source, snapshot_id AS snapshot, facts, state, summary FROM state_checkpoints ORDER BY source, snapshot_id';

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

const sqlite: Engine = {
  name: 'sqlite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'treesnap-contract-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'history.db');
    const store = await openHistoryStore(path);
    cleanups.push(() => store.close());
    const rows = async () => {
      const db = openDatabase(path, { readonly: true });
      try {
        // SQLite packs the largest kinds' values (value-codec.ts), PostgreSQL keeps text: compared as text.
        const versions = unpackRows(db.$client.prepare(VERSIONS_SQL).all() as { value: string | null }[]);
        return { versions, checkpoints: db.$client.prepare(CHECKPOINTS_SQL).all() };
      } finally {
        db.$client.close();
      }
    };
    return { store, rows, reopen: () => openHistoryStore(path) };
  },
};

const postgres: Engine = {
  name: 'postgres',
  async open() {
    const database = await freshDatabase('contract');
    cleanups.push(() => database.drop());
    const store = await openHistoryStore(database.url);
    cleanups.push(() => store.close());
    const rows = async () => {
      const client = new pg.Client({ connectionString: database.url });
      client.setTypeParser(20, Number);
      await client.connect();
      try {
        return { versions: (await client.query(VERSIONS_SQL)).rows, checkpoints: (await client.query(CHECKPOINTS_SQL)).rows };
      } finally {
        await client.end();
      }
    };
    return { store, rows, reopen: () => openHistoryStore(database.url) };
  },
};

const ENGINES = [sqlite, postgres];

/** Everything the contract reads back, at every `every`-th snapshot and the last. */
async function readBack(store: HistoryStore, every = 1): Promise<unknown[]> {
  const out: unknown[] = [];
  const snapshots = await store.listSnapshots();
  for (const [i, s] of snapshots.entries()) {
    if (i % every !== 0 && i !== snapshots.length - 1) continue;
    const state: Record<string, unknown> = {};
    for (const source of STORED_SOURCES) {
      state[source] = await store.readSourceState(source, s.id);
      state[`${source} summaries`] = await store.readSourceState(source, s.id, { summaries: true });
    }
    state['zk.roles leaves'] = await store.readSourceState('zk.roles', s.id, { kind: 'leaf' });
    out.push({ snapshot: s, byId: await store.snapshotById(s.id), outcomes: await store.sourceOutcomes(s.id), state });
  }
  const endpoints = [];
  for (const source of SOURCES) endpoints.push(await store.lastSourceEndpoint(source));
  out.push({ range: await store.snapshotIdRange(), endpoints, missing: await store.snapshotById(999_999) });
  return out;
}

/** Runs `scenario` on a fresh history of each engine; asserts the engines read back the same; returns each one's answers. */
async function onEveryEngine<T>(scenario: (store: HistoryStore) => Promise<T>, every = 1): Promise<{ results: T[]; readBack: unknown[]; stored: StoredRows }> {
  const results: T[] = [];
  const reads: unknown[][] = [];
  const stored: StoredRows[] = [];
  for (const engine of ENGINES) {
    const h = await engine.open();
    assert.equal(h.store.engine, engine.name);
    results.push(await scenario(h.store));
    reads.push(await readBack(h.store, every));
    stored.push(await h.rows());
  }
  assert.ok(reads[0]!.length > 0, 'the scenario recorded snapshots');
  assert.deepEqual(reads[1], reads[0], 'PostgreSQL reads back what SQLite does');
  assert.deepEqual(stored[1], stored[0], 'PostgreSQL stores the rows SQLite does');
  return { results, readBack: reads[0]!, stored: stored[0]! };
}

function stat(ctime: number, version = 0): ZkStat {
  return { ctime, mtime: ctime + version, czxid: `c${ctime}`, mzxid: `m${ctime + version}`, pzxid: 'p', version, cversion: version, ephemeralOwner: '0' };
}

const BASE: ClusterSpec = { leaves: { L1: ['h1', 'h2'], L2: ['h3', 'h4'] } };
const MIN = 60_000;

/** A day of incidents as collections see them: missing hosts, failed sources, disagreeing views, Stats and watched events. */
function incident(): { obs: Observation; watch?: VersionWrite[] }[] {
  const at = (i: number) => T0 + i * MIN;
  const watch = (path: string, i: number): VersionWrite => ({ kind: 'watch', entity: path, value: JSON.stringify({ events: [{ arrivedAt: at(i), kind: 'children' }] }) });
  return [
    { obs: { ...observation({ ...BASE, at: at(0) }), zkStats: { '/missing': stat(at(0)), '/roles/h1': stat(at(0)) } } },
    { obs: observation({ ...BASE, at: at(1) }) },
    { obs: { ...observation({ ...BASE, at: at(2), missing: ['h2'], offline: ['h2'] }), zkStats: { '/missing': stat(at(0), 1), '/missing/h2': stat(at(2)) } }, watch: [watch('/missing', 2)] },
    { obs: observation({ ...BASE, at: at(3), missing: ['h2'], failed: { hosts: sourceError('timeout', 'zk read timed out'), chairman: sourceError('unreachable', 'connect ECONNREFUSED') } }) },
    { obs: observation({ ...BASE, at: at(4), chairmanLeaves: { L1: ['h1'], L2: ['h3', 'h4', 'h2'] }, registrationOverrides: { h3: { availabilityZone: 'az-9' } } }), watch: [watch('/missing', 4), watch('/roles', 4)] },
    { obs: observation({ ...BASE, at: at(5), leaves: { L1: ['h1', 'h2', 'h5'], L2: ['h3', 'h4'] }, status: { h5: 'ERROR' } }) },
    { obs: observation({ ...BASE, at: at(6) }) },
    { obs: observation({ ...BASE, at: at(7), failed: { services: sourceError('timeout', 't'), roles: sourceError('timeout', 't'), hosts: sourceError('timeout', 't'), missing: sourceError('timeout', 't'), status: sourceError('timeout', 't'), chairman: sourceError('timeout', 't'), root: sourceError('timeout', 't') } }) },
  ];
}

function delta(i: number, writes: readonly Write[], failed: readonly string[] = []): SnapshotDelta {
  return {
    startedAt: T0 + i * MIN,
    finishedAt: T0 + i * MIN + 5,
    outcomes: SOURCES.map((source) =>
      failed.includes(source) ? { source, ok: false as const, error: sourceError('timeout', `${source} timed out`), durationMs: 3000 } : { source, ok: true as const, durationMs: 2, endpoint: null, stats: { facts: writes.length } },
    ),
    writes,
  };
}

describe('the store contract, on SQLite and PostgreSQL alike', () => {
  test('collections written from observations: results, outcomes and facts at every snapshot', async () => {
    const { results, readBack } = await onEveryEngine(async (store) => {
      const out = [];
      for (const { obs, watch } of incident()) out.push(await store.writeSnapshot(obs, watch));
      return out;
    });
    assert.deepEqual(results[1], results[0], 'the same write results');
    const r = results[0]!;
    assert.deepEqual(r.map((w) => w.snapshotId), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(Object.values(r[1]!.changes).reduce((a, b) => a + b, 0), 0, 'an unchanged collection writes no version');
    assert.deepEqual(r[3]!.failedSources, ['zk.hosts', 'chairman']);
    // A failed source keeps its facts as last known: h3's registration at #4 is #3's.
    const at = (i: number) => (readBack[i] as { state: Record<string, { entity: string }[]> }).state;
    assert.deepEqual(at(3)['zk.hosts'], at(2)['zk.hosts']);
    assert.ok(at(2)['zk.missing']!.some((f) => f.entity === 'h2'), 'h2 reported missing at #3');
    assert.equal(at(7)['zk.watch']!.length, 0, 'a watched interval stops holding at the next snapshot');
  });

  test('deltas: a long random history crosses several checkpoints; every sampled state and stored row agrees', async () => {
    const history = randomHistory(18, 700, 120);
    const { results, stored } = await onEveryEngine(async (store) => {
      const ids: number[] = [];
      for (const [i, writes] of history.entries()) ids.push((await store.writeSnapshotDelta(delta(i, writes))).snapshotId);
      return ids;
    }, 23);
    assert.deepEqual(results[0], history.map((_, i) => i + 1));
    assert.ok(stored.checkpoints.length >= 4, `checkpoints were written (${stored.checkpoints.length})`);
  });

  test('a delta with a failed source; a malformed delta writes nothing', async () => {
    await onEveryEngine(async (store) => {
      await store.writeSnapshotDelta(delta(0, [{ source: 'status', kind: 'status', entity: 'h1', value: '{"status":"ONLINE"}' }]));
      await store.writeSnapshotDelta(delta(1, [], ['status', 'chairman']));
      const bad = delta(2, [{ source: 'status', kind: 'status', entity: 'h1', value: null }], ['status']);
      await assert.rejects(store.writeSnapshotDelta(bad), RangeError);
      const twice = delta(2, [1, 2].map(() => ({ source: 'status' as const, kind: 'status' as const, entity: 'h1', value: null })));
      await assert.rejects(store.writeSnapshotDelta(twice), RangeError);
      assert.equal((await store.listSnapshots()).length, 2, 'nothing written by the refused deltas');
      assert.deepEqual((await store.sourceOutcomes(2)).filter((o) => !o.ok).map((o) => o.source), ['chairman', 'status']);
    });
  });

  test('listing snapshots: windows of start times and limits', async () => {
    const { results } = await onEveryEngine(async (store) => {
      for (let i = 0; i < 12; i++) await store.writeSnapshotDelta(delta(i * 5, []));
      const windows = [{}, { limit: 3 }, { since: T0 + 10 * MIN }, { until: T0 + 20 * MIN }, { since: T0 + 7 * MIN, until: T0 + 33 * MIN, limit: 2 }, { since: T0 + 999 * MIN }];
      const out = [];
      for (const w of windows) out.push((await store.listSnapshots(w)).map((s) => s.id));
      return out;
    });
    assert.deepEqual(results[1], results[0]);
    assert.deepEqual(results[0], [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [10, 11, 12], [3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [1, 2, 3, 4, 5], [6, 7], []]);
  });

  test('references to snapshots, and the last snapshot each source was read in (what show reads)', async () => {
    const refs: SnapshotRef[] = [
      { kind: 'id', id: 3 }, { kind: 'id', id: 99 }, { kind: 'latest', back: 0 }, { kind: 'latest', back: 7 }, { kind: 'latest', back: 8 },
      { kind: 'time', at: T0 + 4 * MIN + 1 }, { kind: 'time', at: T0 + 4 * MIN }, { kind: 'time', at: T0 - 1 },
    ];
    const { results } = await onEveryEngine(async (store) => {
      for (const { obs, watch } of incident()) await store.writeSnapshot(obs, watch);
      const resolved = [];
      for (const ref of refs) resolved.push(await store.resolveSnapshot(ref).then((r) => r, (e: Error) => `${e instanceof NotFoundError ? 'not found' : 'other'}: ${e.message}`));
      const lastOk = [];
      for (const source of SOURCES) for (const id of [1, 4, 8]) lastOk.push([source, id, await store.lastOkSnapshot(source, id)]);
      return { resolved, lastOk };
    });
    assert.deepEqual(results[1], results[0]);
    const { resolved, lastOk } = results[0]!;
    assert.deepEqual(resolved.map((r) => (typeof r === 'string' ? r : r.id)), [3, 'not found: no snapshot #99', 8, 1, 'not found: fewer than 9 snapshots recorded', 5, 5, `not found: no snapshot at or before ${formatTime(T0 - 1)}`]);
    assert.deepEqual(lastOk.filter(([source]) => source === 'chairman'), [['chairman', 1, 1], ['chairman', 4, 3], ['chairman', 8, 7]]);
  });

  test('meta records: absent, written, overwritten', async () => {
    const { results } = await onEveryEngine(async (store) => {
      await store.writeSnapshotDelta(delta(0, []));
      const absent = await store.readMeta('drift.recorded_through');
      await store.writeMeta('drift.recorded_through', '1');
      await store.writeMeta('drift.recorded_through', '{"snapshot":1,"checks":"v2"}');
      await store.writeMeta('other', 'x');
      return [absent, await store.readMeta('drift.recorded_through'), await store.readMeta('other')];
    });
    assert.deepEqual(results[1], results[0]);
    assert.deepEqual(results[0], [undefined, '{"snapshot":1,"checks":"v2"}', 'x']);
  });

  test('a derived record: its versions and mark written together, only while the mark it was derived from stands', async () => {
    const item = (n: number) => JSON.stringify({ sides: { zk: `L${n}`, chairman: null } });
    const record = (from: string | undefined, to: string, snapshots: [number, string, string | null][], clear = false) => ({
      source: 'drift' as const,
      mark: { key: 'drift.recorded_through', from, to },
      clear,
      snapshots: snapshots.map(([snapshotId, entity, value]) => ({ snapshotId, writes: [{ kind: 'drift' as const, entity, value }] })),
    });
    const { results, readBack, stored } = await onEveryEngine(async (store) => {
      for (const { obs, watch } of incident()) await store.writeSnapshot(obs, watch);
      const first = await store.writeDerivedRecord(record(undefined, 'v1:3', [[1, 'leaf_owner_differs:L1', item(1)], [3, 'leaf_owner_differs:L1', null]]));
      // Derived from no mark, but the mark moved: a second writer of the same snapshots writes nothing.
      const stale = await store.writeDerivedRecord(record(undefined, 'v1:3', [[2, 'orphan:h9', item(2)]]));
      const next = await store.writeDerivedRecord(record('v1:3', 'v1:5', [[5, 'orphan:h9', item(5)]]));
      const mark = await store.readMeta('drift.recorded_through');
      // Another version of the checks: the record is dropped and made anew.
      const cleared = await store.writeDerivedRecord(record('v1:5', 'v2:2', [[2, 'orphan:h7', item(7)]], true));
      return { first, stale, next, mark, cleared, after: await store.readMeta('drift.recorded_through') };
    });
    assert.deepEqual(results[1], results[0]);
    assert.deepEqual(results[0], { first: true, stale: false, next: true, mark: 'v1:5', cleared: true, after: 'v2:2' });
    const driftAt = (i: number) => (readBack[i] as { state: Record<string, { entity: string }[]> }).state['drift']!.map((f) => f.entity);
    assert.deepEqual([driftAt(0), driftAt(1), driftAt(7)], [[], ['orphan:h7'], ['orphan:h7']], 'only the record made after the clear holds');
    assert.equal(stored.versions.filter((v) => (v as { source: string }).source === 'drift').length, 1);
  });

  test('prune: a dry run counts, a prune keeps a suffix that reads as before, and a second finds nothing', async () => {
    const history = randomHistory(5, 400, 60);
    const horizon = T0 + 250 * MIN;
    const before: unknown[][] = [];
    const { results, readBack: after, stored } = await onEveryEngine(async (store) => {
      for (const [i, writes] of history.entries()) {
        const failed = i % 9 === 4 ? ['status'] : [];
        await store.writeSnapshotDelta(delta(i, writes.filter((w) => !failed.includes(w.source)), failed));
      }
      before.push((await readBack(store)).filter((r) => ((r as { snapshot?: { id: number } }).snapshot?.id ?? 0) > 250));
      const dry = await store.prune({ before: horizon, dryRun: true });
      const real = await store.prune({ before: horizon });
      const again = await store.prune({ before: horizon });
      return [dry, real, again].map(({ bytesFreed: _, ...r }) => r);
    });
    assert.deepEqual(results[1], results[0], 'the same counts on both engines (bytes freed aside: only a SQLite file shrinks)');
    const [dry, real, again] = results[0]!;
    assert.equal(real!.oldestKept, 251);
    assert.equal(real!.snapshotsDeleted, 250);
    assert.ok(real!.versionsCarried > 0 && real!.versionsDeleted > 0, JSON.stringify(real));
    assert.deepEqual({ ...dry, dryRun: false }, real);
    assert.equal(again!.snapshotsDeleted, 0);
    // What each kept snapshot reads is what it read before the prune, on each engine.
    // (A prune rewrites checkpoints, so facts may come out in another order: compared as sets.)
    const asSets = (rows: unknown[]) =>
      rows.map((r) => {
        const { state, ...rest } = r as { state: Record<string, unknown[]> };
        return { ...rest, state: Object.fromEntries(Object.entries(state).map(([k, facts]) => [k, facts.map((f) => JSON.stringify(f)).sort()])) };
      });
    const kept = asSets(after.filter((r) => ((r as { snapshot?: { id: number } }).snapshot?.id ?? 0) > 250));
    assert.equal(kept.length, 150);
    assert.deepEqual(kept, asSets(before[0]!));
    assert.deepEqual(kept, asSets(before[1]!));
    assert.ok(stored.checkpoints.some((c) => (c as { snapshot: number }).snapshot === 251), 'every source checkpointed at the oldest kept');
  });

  test('the last address of each source, as the collector reads its last-known leaders', async () => {
    const { readBack } = await onEveryEngine(async (store) => {
      for (const { obs, watch } of incident()) await store.writeSnapshot(obs, watch);
    });
    const last = readBack.at(-1) as { range: unknown; endpoints: ({ endpoint: string } | null)[] };
    assert.deepEqual(last.range, { first: 1, last: 8 });
    assert.ok(last.endpoints.some((e) => e?.endpoint === '127.0.0.1:13000'), 'the chairman\'s address is known');
  });

  for (const engine of ENGINES) {
    test(`${engine.name}: a history reopened keeps what was written and is not migrated twice`, async () => {
      const h = await engine.open();
      await h.store.writeSnapshot(observation({ ...BASE, at: T0 }));
      const again = await h.reopen();
      try {
        assert.deepEqual(await readBack(again), await readBack(h.store));
        assert.equal((await again.writeSnapshot(observation({ ...BASE, at: T0 + MIN }))).snapshotId, 2);
      } finally {
        await again.close();
      }
    });
  }
});
