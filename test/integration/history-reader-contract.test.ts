// The query layer's synchronous reads on PostgreSQL: the session that bridges
// them to the server (src/store/postgres/pg-sync.ts) and its failures, each one
// line and exit 6 as the async store's, never a hang or a stack.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { exitCodeFor, EXIT } from '../../src/cli/exit-codes.js';
import { DatabaseError, NotFoundError } from '../../src/errors.js';
import { openPgSync, type PgSyncSession } from '../../src/store/postgres/pg-sync.js';
import { freshDatabase, pgBase } from '../support/postgres.js';

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
