// The first commands served on a PostgreSQL history, end to end through the
// built CLI and the real server the test command starts (TREESNAP_PG):
// `collect` records a collection of the simulator (real ZooKeeper, real
// Thrift) as a SQLite file does, and `snapshots` answers byte for byte as it
// does on SQLite for the same history, and so does `show` (text and --json).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EXIT } from '../../src/cli/exit-codes.js';
import { sourceError } from '../../src/model/source-error.js';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { SOURCES, STORED_SOURCES } from '../../src/snapshot/source-name.js';
import type { SourceStats } from '../../src/snapshot/source-stats.js';
import { openHistoryStore, type HistoryStore } from '../../src/store/history-store.js';
import type { SnapshotDelta } from '../../src/store/write-snapshot-delta.js';
import { observation, type ClusterSpec } from '../support/observation.js';
import { freshDatabase, withUrl } from '../support/postgres.js';
import pg from 'pg';
import { randomHistory, T0, type Write } from '../support/random-history.js';
import { assertOneLineError, treesnap } from '../support/treesnap-cli.js';
import { freshChroot } from '../support/zookeeper.js';

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function pgHistory(prefix: string): Promise<string> {
  const database = await freshDatabase(prefix);
  cleanups.push(() => database.drop());
  return database.url;
}

function sqliteHistory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'treesnap-pgcli-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'history.db');
}

async function withStore<T>(db: string, fn: (store: HistoryStore) => Promise<T>): Promise<T> {
  const store = await openHistoryStore(db);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const COLLECT = (zk: string) => ['collect', '--zk', zk, '--probe-timeout', '1s', '--connect-timeout', '3s'];

describe('collect into PostgreSQL', () => {
  let cluster: SimulatedCluster;
  before(async () => {
    const { connectString } = await freshChroot('pgcollect');
    cluster = await startSimulatedCluster({ zk: connectString, hosts: 12, fanout: 4 });
    cleanups.push(() => cluster.stop({ clean: true }));
  });

  test('records the collection a SQLite file records of the same cluster: the same facts of every source', async () => {
    const pg = await pgHistory('collect');
    const file = sqliteHistory();
    const intoPg = await treesnap([...COLLECT(cluster.zk), '--json', '--db', pg], { timeoutMs: 120_000 });
    assert.equal(intoPg.code, EXIT.OK, intoPg.stderr);
    assert.equal(intoPg.stderr, '');
    const intoFile = await treesnap([...COLLECT(cluster.zk), '--json', '--db', file], { timeoutMs: 120_000 });
    assert.equal(intoFile.code, EXIT.OK, intoFile.stderr);
    const summary = JSON.parse(intoPg.stdout) as { snapshotId: number; failedSources: string[] };
    assert.equal(summary.snapshotId, 1);
    assert.deepEqual(summary.failedSources, []);
    const read = (db: string) =>
      withStore(db, async (store) => {
        const facts: Record<string, unknown> = {};
        for (const source of STORED_SOURCES) facts[source] = await store.readSourceState(source, 1);
        return { facts, outcomes: (await store.sourceOutcomes(1)).map((o) => [o.source, o.ok, o.endpoint, o.stats]) };
      });
    // Probe latencies are measured anew by each collection; everything else the two recorded must agree.
    const measured = (k: string, v: unknown) => (k.startsWith('latency_') ? undefined : v);
    const [onPg, onFile] = [JSON.parse(JSON.stringify(await read(pg), measured)), JSON.parse(JSON.stringify(await read(file), measured))];
    assert.ok(onPg.facts['zk.roles'].length > 12, 'the roles were recorded');
    assert.deepEqual(onPg, onFile);
  });

  test('TREESNAP_DB names it too; the next collection is #2, after the leaders last read', async () => {
    const pg = await pgHistory('collectenv');
    for (const id of [1, 2]) {
      const r = await treesnap(COLLECT(cluster.zk), { env: { TREESNAP_DB: pg }, timeoutMs: 120_000 });
      assert.equal(r.code, EXIT.OK, r.stderr);
      assert.match(r.stdout, new RegExp(`#${id}\\b`));
    }
    const ids = await withStore(pg, async (store) => (await store.listSnapshots()).map((s) => s.id));
    assert.deepEqual(ids, [1, 2]);
  });

  test('no source readable (ZooKeeper down): exit 5 as on SQLite, and the snapshot is still recorded', async () => {
    const pg = await pgHistory('collectdown');
    const r = await treesnap(['collect', '--zk', '127.0.0.1:1', '--connect-timeout', '1s', '--json', '--db', pg], { timeoutMs: 120_000 });
    assert.equal(r.code, EXIT.UNAVAILABLE, r.stderr);
    const summary = JSON.parse(r.stdout) as { snapshotId: number; failedSources: string[] };
    const recorded = await withStore(pg, async (store) => (await store.sourceOutcomes(summary.snapshotId)).filter((o) => !o.ok).map((o) => o.source));
    assert.deepEqual([...recorded].sort(), [...summary.failedSources].sort());
    assert.equal(recorded.length, SOURCES.length);
  });

  test('a server that refuses the connection: one line, exit 6, no password shown', async () => {
    const refused = withUrl(await pgHistory('refused'), { password: 's3cret-pw' }).replace(/@[^/]+\//, '@127.0.0.1:1/');
    const r = await treesnap([...COLLECT(cluster.zk), '--db', refused], { timeoutMs: 120_000 });
    assertOneLineError(r, EXIT.DATABASE, /cannot open postgres:\/\/[^ ]*127\.0\.0\.1:1\/refused_\w+: /, 'refused');
    assert.doesNotMatch(r.stderr, /s3cret/);
    assert.equal(r.stdout, '');
  });
});

const MIN = 60_000;

/** One snapshot: the random history's writes, the sources of `failed` failed, counts that vary. */
function delta(i: number, writes: readonly Write[], failed: readonly string[]): SnapshotDelta {
  const stats = (source: string): SourceStats =>
    source === 'zk.roles' ? { leaf: i % 7, placement: 40 + i } : source === 'status' ? { online: 30 + (i % 5), offline: i % 3 } : { facts: writes.length };
  return {
    startedAt: T0 + i * MIN + (i % 4) * 17,
    finishedAt: T0 + i * MIN + 250 + i * 31,
    outcomes: SOURCES.map((source) =>
      failed.includes(source)
        ? { source, ok: false as const, error: sourceError('timeout', `${source} timed out — après 3 s`), durationMs: 3000 }
        : { source, ok: true as const, durationMs: 2 + i, endpoint: source === 'chairman' ? '10.0.0.1:13000' : null, stats: stats(source) },
    ),
    writes: writes.filter((w) => !failed.includes(w.source)),
  };
}

describe('snapshots on PostgreSQL', () => {
  const files: Record<'sqlite' | 'postgres', string> = { sqlite: '', postgres: '' };
  before(async () => {
    files.sqlite = sqliteHistory();
    files.postgres = await pgHistory('snapshots');
    const history = randomHistory(7, 90, 30);
    const failedAt = (i: number) => (i % 11 === 3 ? ['status'] : i % 17 === 5 ? ['chairman', 'zk.roles'] : i === 40 ? [...SOURCES] : []);
    for (const db of Object.values(files)) {
      await withStore(db, async (store) => {
        for (const [i, writes] of history.entries()) await store.writeSnapshotDelta(delta(i, writes, failedAt(i)));
      });
    }
  });

  const at = (i: number) => new Date(T0 + i * MIN).toISOString();
  const CASES = [[], ['--json'], ['--limit', '5'], ['--limit', '0'], ['--limit', '0', '--json'], ['--since', at(30), '--until', at(45)], ['--since', at(80), '--json'], ['--since', at(200)]];
  for (const args of CASES) {
    test(`treesnap snapshots ${args.join(' ')}: byte for byte as on SQLite`, async () => {
      const [onFile, onPg] = [await treesnap(['snapshots', ...args, '--db', files.sqlite]), await treesnap(['snapshots', ...args, '--db', files.postgres])];
      assert.equal(onFile.code, EXIT.OK, onFile.stderr);
      assert.equal(onPg.code, EXIT.OK, onPg.stderr);
      assert.equal(onPg.stdout, onFile.stdout);
      assert.equal(onPg.stderr, onFile.stderr);
      assert.ok(onPg.stdout.length > 0);
    });
  }

  test('the rows compared are the history written: 90 snapshots, their failures and counts', async () => {
    const r = await treesnap(['snapshots', '--limit', '0', '--json'], { env: { TREESNAP_DB: files.postgres } });
    assert.equal(r.code, EXIT.OK, r.stderr);
    const rows = (JSON.parse(r.stdout) as { snapshots: { id: number; failedSources: string[]; counts: { leaves?: number } }[] }).snapshots;
    assert.equal(rows.length, 90);
    assert.deepEqual(rows[3]!.failedSources, ['status']);
    assert.equal(rows[40]!.failedSources.length, SOURCES.length);
    assert.equal(rows[41]!.counts.leaves, 41 % 7);
  });

  test('a read the server fails (a table dropped behind its back): one line, exit 6, as a damaged SQLite file', async () => {
    const url = await pgHistory('damaged');
    await withStore(url, async (store) => {
      await store.writeSnapshotDelta(delta(0, [], []));
    });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('DROP TABLE snapshot_sources CASCADE').finally(() => client.end());
    for (const args of [['snapshots'], ['show', '--json']]) {
      const r = await treesnap([...args, '--db', url]);
      assertOneLineError(r, EXIT.DATABASE, /cannot read the history: .*snapshot_sources/, args[0]!);
    }
  });

  test('an empty history answers alike', async () => {
    const [file, pg] = [sqliteHistory(), await pgHistory('empty')];
    for (const db of [file, pg]) await withStore(db, async () => {});
    for (const args of [[], ['--json']]) {
      const [onFile, onPg] = [await treesnap(['snapshots', ...args, '--db', file]), await treesnap(['snapshots', ...args, '--db', pg])];
      assert.deepEqual([onPg.code, onPg.stdout, onPg.stderr], [onFile.code, onFile.stdout, onFile.stderr]);
    }
  });
});

/** A cluster of 70 leaves (more than show prints without --all), then an incident over a few collections. */
function showHistory() {
  const leaves: Record<string, string[]> = {};
  for (let l = 1; l <= 70; l++) leaves[`L${l}`] = [`h${l * 2}`, `h${l * 2 + 1}`];
  const base: ClusterSpec = { leaves };
  const at = (i: number) => T0 + i * MIN;
  return [
    observation({ ...base, at: at(0) }),
    observation({ ...base, at: at(1), missing: ['h4'], offline: ['h4', 'h9'], status: { h11: 'ERROR' } }),
    observation({ ...base, at: at(2), missing: ['h4'], failed: { chairman: sourceError('unreachable', 'connect ECONNREFUSED 127.0.0.1:13000'), status: sourceError('timeout', 'probes timed out') } }),
    observation({ ...base, at: at(3), chairmanLeaves: { ...leaves, L2: ['h4'], L3: ['h6', 'h7', 'h5'] }, extraRegistered: ['h900'], unregistered: ['h7'] }),
    observation({ ...base, at: at(4), registrationOverrides: { h3: { availabilityZone: 'az-9' } }, nodeErrors: { roles: [{ path: '/roles/L5', kind: 'timeout', message: 'read timed out' }] } }),
  ];
}

describe('show on PostgreSQL', () => {
  const files: Record<'sqlite' | 'postgres', string> = { sqlite: '', postgres: '' };
  before(async () => {
    files.sqlite = sqliteHistory();
    files.postgres = await pgHistory('show');
    for (const db of Object.values(files)) {
      await withStore(db, async (store) => {
        for (const obs of showHistory()) await store.writeSnapshot(obs);
      });
    }
  });

  const CASES = [
    [], ['--json'], ['1'], ['2', '--json'], ['3', '--source', 'chairman', '--source', 'root', '--source', 'agents'], ['3', '--json'],
    ['latest~1', '--all', '--source', 'zk', '--source', 'chairman'], ['--at', new Date(T0 + 2 * MIN + 5).toISOString()], ['4', '--source', 'chairman'],
    ['99'], ['latest~9'], ['--at', new Date(T0 - MIN).toISOString(), '--json'],
  ];
  for (const args of CASES) {
    test(`treesnap show ${args.join(' ')}: byte for byte as on SQLite`, async () => {
      const [onFile, onPg] = [await treesnap(['show', ...args, '--db', files.sqlite]), await treesnap(['show', ...args, '--db', files.postgres])];
      assert.deepEqual([onPg.code, onPg.stdout, onPg.stderr], [onFile.code, onFile.stdout, onFile.stderr]);
      assert.ok(onPg.stdout.length > 0 || onPg.code === EXIT.NOT_FOUND, `${onPg.code} ${onPg.stderr}`);
    });
  }

  test('what was compared is the history written: the first 50 leaves, a failed chairman, a missing host', async () => {
    const text = await treesnap(['show', '3', '--source', 'chairman'], { env: { TREESNAP_DB: files.postgres } });
    assert.equal(text.code, EXIT.OK, text.stderr);
    assert.match(text.stdout, /… 20 more leaves \(--all to show\)/);
    assert.match(text.stdout, /unreachable/);
    const json = await treesnap(['show', '3', '--json'], { env: { TREESNAP_DB: files.postgres } });
    const view = JSON.parse(json.stdout) as { missing: { value: string[] }; snapshot: { id: number } };
    assert.deepEqual(view.missing.value, ['h4']);
    assert.match(json.stdout, /ECONNREFUSED/);
  });
});

describe('prune on PostgreSQL', () => {
  test('--dry-run and the prune count what SQLite counts; the history kept lists and shows alike', async () => {
    const [file, pgUrl] = [sqliteHistory(), await pgHistory('prune')];
    const history = randomHistory(3, 60, 20);
    for (const db of [file, pgUrl]) {
      await withStore(db, async (store) => {
        for (const [i, writes] of history.entries()) await store.writeSnapshotDelta(delta(i, writes, []));
      });
    }
    // The horizon is "now" less a duration, so it differs between two calls; the bytes freed differ by engine.
    const counts = (r: { code: number | null; stdout: string; stderr: string }) => {
      assert.equal(r.code, EXIT.OK, r.stderr);
      const { before: _b, bytesFreed: _f, ...rest } = JSON.parse(r.stdout) as Record<string, unknown>;
      return rest;
    };
    for (const args of [['--dry-run'], []]) {
      const call = (db: string) => treesnap(['prune', '--older-than', '1d', '--json', ...args, '--db', db]);
      const [onFile, onPg] = [counts(await call(file)), counts(await call(pgUrl))];
      assert.deepEqual(onPg, onFile);
      assert.equal(onPg.snapshotsDeleted, 59, JSON.stringify(onPg));
    }
    for (const args of [['snapshots', '--limit', '0'], ['show', '--json']]) {
      const [onFile, onPg] = [await treesnap([...args, '--db', file]), await treesnap([...args, '--db', pgUrl])];
      assert.deepEqual([onPg.code, onPg.stdout, onPg.stderr], [onFile.code, onFile.stdout, onFile.stderr]);
    }
    const text = await treesnap(['prune', '--older-than', '1d', '--db', pgUrl]);
    assert.equal(text.code, EXIT.OK, text.stderr);
    assert.match(text.stdout, /^nothing older than .* to prune\n$/);
  });
});
