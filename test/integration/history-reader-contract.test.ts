// The query layer's synchronous reads on PostgreSQL: the session that bridges
// them to the server (src/store/postgres/pg-sync.ts) and its failures, each one
// line and exit 6 as the async store's, never a hang or a stack.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { exitCodeFor, EXIT } from '../../src/cli/exit-codes.js';
import { DatabaseError, NotFoundError } from '../../src/errors.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordDrift } from '../../src/record/record-drift.js';
import { SOURCES } from '../../src/snapshot/source-name.js';
import { exportCluster } from '../../src/store/cluster-export.js';
import { rangeOutweighsState } from '../../src/store/changed-keys.js';
import { openHistoryStore } from '../../src/store/history-store.js';
import { readMeta } from '../../src/store/meta.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { placedInLeaves } from '../../src/store/placement-reads.js';
import { openPgReader } from '../../src/store/postgres/pg-reader.js';
import { openPgSync, type PgSyncSession } from '../../src/store/postgres/pg-sync.js';
import { snapshotIdRange } from '../../src/store/history-facts.js';
import { sqliteReader } from '../../src/store/history-reader.js';
import { failuresInRange, versionsInRange, versionsWithBeforeInRange } from '../../src/store/version-reads.js';
import { watchedChangesOfPath, watchedRemovalsOfChildren, watchRecordVersions } from '../../src/store/watch-record-reads.js';
import { freshDatabase, pgBase } from '../support/postgres.js';
import { randomHistory, T0 } from '../support/random-history.js';
import { randomIncidents } from '../support/random-incidents.js';
import { readerCalls, type Reads, type Spread } from '../support/reader-calls.js';

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function fresh(): Promise<string> {
  const database = await freshDatabase('reader');
  cleanups.push(database.drop);
  return database.url;
}

async function session(url: string, opts: Parameters<typeof openPgSync>[1] = {}): Promise<PgSyncSession> {
  const s = await openPgSync(url, { create: true, ...opts });
  cleanups.push(() => s.close());
  return s;
}

/** What `fn` threw: a one-line error of the store, with its exit code. */
function failure(fn: () => unknown): { error: Error; exit: number } {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof Error, String(e));
    assert.ok(!e.message.includes('\n'), `one line: ${e.message}`);
    return { error: e, exit: exitCodeFor(e) };
  }
  return assert.fail('no error');
}

const TERMINATE = `const pg = require('pg'); const c = new pg.Client(process.argv[1]);
  setTimeout(async () => { await c.connect(); await c.query('SELECT pg_terminate_backend($1)', [Number(process.argv[2])]); await c.end(); }, Number(process.argv[3]));`;

/** Terminates backend `pid` from another process after `ms` (this thread is blocked in a statement by then). */
function terminateLater(pid: number, ms: number): Promise<void> {
  const child = spawn(process.execPath, ['-e', TERMINATE, pgBase(), String(pid), String(ms)], { stdio: 'inherit' });
  return new Promise((resolve) => child.on('exit', () => resolve()));
}

/** Terminates backend `pid` now, blocking this thread (the session's worker runs on, and sees its connection go). */
function terminateNow(pid: number): void {
  assert.equal(spawnSync(process.execPath, ['-e', TERMINATE, pgBase(), String(pid), '0'], { stdio: 'inherit' }).status, 0);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
}

describe('the synchronous PostgreSQL session', () => {
  test('statements answer synchronously, bigints as numbers, in a read transaction on request', async () => {
    const s = await session(await fresh());
    assert.deepEqual(s.query('SELECT $1::bigint AS n, current_cluster() AS c, NULL::text AS x', [2 ** 40]), [{ n: 2 ** 40, c: 1, x: null }]);
    const [a, b] = s.read(() => [s.query<{ t: string }>('SELECT now()::text AS t')[0]!.t, s.query<{ t: string }>('SELECT now()::text AS t')[0]!.t]);
    assert.equal(a, b, 'one transaction: one now()');
  });

  test('a statement the server cancels (statement timeout) is one line, exit 6; the session answers the next', async () => {
    const s = await session(await fresh(), { statementTimeoutMs: 200 });
    const { error, exit } = failure(() => s.query('SELECT pg_sleep(3)'));
    assert.ok(error instanceof DatabaseError);
    assert.equal(exit, EXIT.DATABASE);
    assert.equal(error.message, 'cannot read the history: a statement ran past the statement timeout and was cancelled');
    assert.deepEqual(s.query('SELECT 1 AS one'), [{ one: 1 }]);
  });

  test('a connection killed during a statement (pg_terminate_backend) is one line, exit 6; the next statement reconnects', async () => {
    const s = await session(await fresh());
    const pid = s.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')[0]!.pid;
    const killed = terminateLater(pid, 300);
    const { error, exit } = failure(() => s.query('SELECT pg_sleep(20)'));
    await killed;
    assert.equal(exit, EXIT.DATABASE);
    assert.match(error.message, /^cannot read the history: terminating connection due to administrator command$/);
    assert.deepEqual(s.query('SELECT current_cluster() AS c'), [{ c: 1 }], 'bound to its cluster again');
  });

  test('a connection killed while idle is replaced, as the pool replaces one; inside a read transaction it is an error', async () => {
    const s = await session(await fresh());
    const pid = () => s.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')[0]!.pid;
    const first = pid();
    terminateNow(first);
    assert.notEqual(pid(), first, 'a new connection');
    const { error, exit } = failure(() =>
      s.read(() => {
        terminateNow(pid());
        return s.query('SELECT 1');
      }),
    );
    assert.equal(exit, EXIT.DATABASE, error.message);
    assert.match(error.message, /^cannot read the history: /);
    assert.deepEqual(s.query('SELECT 1 AS one'), [{ one: 1 }]);
  });

  test('a server that stops answering (its backend stopped with SIGSTOP) is an error after the bounded wait, not a hang', async () => {
    const s = await session(await fresh(), { statementTimeoutMs: 200, connectTimeoutMs: 200 });
    const pid = s.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')[0]!.pid;
    process.kill(pid, 'SIGSTOP');
    try {
      const { error, exit } = failure(() => s.query('SELECT 1'));
      assert.equal(exit, EXIT.DATABASE);
      assert.equal(error.message, 'cannot read the history: no answer from the PostgreSQL session within 5400 ms');
      assert.throws(() => s.query('SELECT 1'), { message: error.message }, 'the session stays failed');
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  });

  test('opening: a refused server and an unknown cluster are the async store\'s one-line errors', async () => {
    const refused = await openPgSync('postgres://treesnap@127.0.0.1:1/none', { connectTimeoutMs: 2000 }).then(() => assert.fail('opened'), (e: Error) => e);
    assert.ok(refused instanceof DatabaseError);
    assert.equal(refused.message, 'cannot open postgres://treesnap@127.0.0.1:1/none: connection refused (is the server running and listening there?)');
    const url = await fresh();
    await session(url);
    const unknown = await openPgSync(url, { cluster: 'nope' }).then(() => assert.fail('opened'), (e: Error) => e);
    assert.ok(unknown instanceof NotFoundError);
    assert.equal(exitCodeFor(unknown), EXIT.NOT_FOUND);
  });
});

// ---------------------------------------------------------------------------
// Every read, on both engines, over one random history.

/** SQLite's reads as the query layer takes them: the store's own binding (history-reader.ts). */
function sqliteReads(db: Db): Reads {
  return sqliteReader(db) as unknown as Reads;
}

/** Each read's answers on both engines, compared read by read (so a failure names the read). */
function compareAll(sqlite: Reads, postgres: Reads, spread: Spread, differ: string[] = []): number {
  const calls = readerCalls(spread);
  // Every read the reader has (its lifecycle aside) is called below; a read it has and no call names fails here.
  const reads = Object.keys(postgres).filter((k) => k !== 'close' && k !== 'engine');
  assert.deepEqual(reads.filter((k) => !(k in calls)), [], 'every read of the PostgreSQL reader is exercised');
  let n = 0;
  for (const [name, list] of Object.entries(calls).filter(([k]) => reads.includes(k) && !differ.includes(k))) {
    assert.ok(list.length > 0, `${name} is called`);
    for (const [i, call] of list.entries()) {
      assert.deepEqual(call(postgres), call(sqlite), `${name} call #${i}`);
      n++;
    }
  }
  return n;
}

function spreadOf(db: Db): Spread {
  const last = snapshotIdRange(db).last;
  const mid = Math.floor(last / 2);
  return {
    ids: [1, mid, last, 2, last + 50],
    ranges: [[0, last], [0, mid], [mid, last], [1, 2], [last, last], [last, 1], [mid - 3, mid + 3]],
    entities: ['h1', 'h2', 'h5', 'L1', 'L3', '/missing', 'nope'],
    kinds: [['status', 'status'], ['zk.hosts', 'registration'], ['zk.roles', 'leaf'], ['zk.roles', 'placement'], ['zk.missing', 'missing'], ['agents', 'agent_role'], ['zk.watch', 'watch'], ['zk.stat', 'stat'] as never, ['drift', 'drift'] as never],
  };
}

/** The random history on a SQLite file and in a fresh PostgreSQL database (cluster `default`), each written through the async store. */
async function writtenToBoth(): Promise<{ db: Db; path: string; url: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'treesnap-reader-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'history.db');
  const url = await fresh();
  const stores = [await openHistoryStore(path), await openHistoryStore(url)];
  for (const { obs, watch } of randomIncidents(7, 60)) for (const store of stores) await store.writeSnapshot(obs, watch);
  // Then a stretch of status and registration churn, long enough to write checkpoints.
  for (const [i, writes] of randomHistory(11, 240, 12).entries()) {
    const at = T0 + (60 + i) * 60_000;
    const outcomes = SOURCES.map((source) => ({ source, ok: true as const, durationMs: 2, endpoint: null, stats: { facts: writes.length } }));
    for (const store of stores) await store.writeSnapshotDelta({ startedAt: at, finishedAt: at + 5, outcomes, writes });
  }
  for (const store of stores) await store.close();
  const db = openDatabase(path);
  cleanups.push(() => void db.$client.close());
  return { db, path, url };
}

async function reader(url: string, cluster?: string): Promise<Reads> {
  const r = await openPgReader(url, { cluster });
  cleanups.push(() => r.close());
  return r as unknown as Reads;
}

/** The history holds what the reads are about, so that equal answers are not empty ones. */
function assertRich(db: Db): void {
  const last = snapshotIdRange(db).last;
  assert.ok(failuresInRange(db, 1, last, SOURCES).length >= 5, 'failed reads');
  const watched = watchRecordVersions(db, 0, last, { entities: ['/missing'], qualifiers: true });
  assert.ok(watched.some((v) => v.entity.startsWith('gap:')) && watched.some((v) => v.entity === 'dropped'), 'gaps and drop counts');
  assert.ok(watchedChangesOfPath(db, 0, last, '/missing') > 10, 'watched changes');
  assert.ok(watchedRemovalsOfChildren(db, 0, last, '/missing', ['h1', 'h2', 'h3']).size > 0, 'watched removals');
  assert.ok([...versionsInRange(db, 0, last, ['agents'])].some((v) => v.value?.includes('"hosts"')), 'agents with host lists');
  assert.ok([...versionsWithBeforeInRange(db, 0, last, ['zk.stat'])].length > 10, 'Stats');
  assert.ok(placedInLeaves(db, ['L1', 'L2', 'L3'], last).length > 1, 'hosts placed in leaves');
  assert.ok(SOURCES.some((s) => rangeOutweighsState(db, 0, last, s)), 'more versions than facts, so changedKeys reads by states');
}

describe('every read of the query layer, on SQLite and PostgreSQL alike', () => {
  test('a random history written through the async store to both: every read, a spread of arguments, the same answers', async () => {
    const { db, url } = await writtenToBoth();
    assertRich(db);
    const pg = await reader(url);
    const n = compareAll(sqliteReads(db), pg, spreadOf(db));
    assert.ok(n > 2000, `${n} calls`);
  });

  test('with the drift record: the SQLite history, its drift recorded, imported into a PostgreSQL cluster; every read the same', async () => {
    const { db, url } = await writtenToBoth();
    assert.ok(recordDrift(db) > 0, 'drift recorded');
    const into = await openHistoryStore(url, { cluster: 'imported' });
    await into.importCluster(exportCluster(db));
    await into.close();
    assert.ok(readMeta(db, 'drift.recorded'), 'the record mark');
    // The database holds the cluster written beside the imported one: their lists differ.
    compareAll(sqliteReads(db), await reader(url, 'imported'), spreadOf(db), ['listClusters']);
  });
});
