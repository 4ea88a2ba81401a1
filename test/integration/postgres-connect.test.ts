// Opening a PostgreSQL history (src/store/postgres/connect.ts) against a real
// server: a refused, unreachable or unauthenticated server is one line and a
// database error (exit 6), the password never shown; bigints read as numbers;
// a statement past the statement timeout is cancelled by the server.
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { exitCodeFor, EXIT } from '../../src/cli/exit-codes.js';
import { DatabaseError } from '../../src/errors.js';
import { openPool } from '../../src/store/postgres/connect.js';
import { adminQuery, pgBase, withUrl } from '../support/postgres.js';

async function openError(url: string, opts = {}): Promise<DatabaseError> {
  const err = await openPool(url, opts).then(
    (pool) => pool.end().then(() => assert.fail(`opened ${url}`)),
    (e: unknown) => e,
  );
  assert.ok(err instanceof DatabaseError, String(err));
  assert.equal(exitCodeFor(err), EXIT.DATABASE);
  assert.doesNotMatch(err.message, /\n/);
  return err;
}

/** A port on which nothing listens. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe('opening a PostgreSQL history', () => {
  const role = `treesnap_auth_${process.pid}`;
  before(async () => {
    await adminQuery(`DROP ROLE IF EXISTS ${role}`);
    await adminQuery(`CREATE ROLE ${role} LOGIN PASSWORD 'right-secret'`);
  });
  after(async () => {
    await adminQuery(`DROP ROLE IF EXISTS ${role}`);
  });

  test('a server that refuses the connection', async () => {
    const err = await openError(`postgres://treesnap:hunter2@127.0.0.1:${await closedPort()}/history`);
    assert.match(err.message, /^cannot open postgres:\/\/treesnap@127\.0\.0\.1:\d+\/history: connection refused/);
    assert.doesNotMatch(err.message, /hunter2/);
  });

  test('a server that never answers (unreachable) fails after the connect timeout, not never', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const port = (silent.address() as { port: number }).port;
      const err = await openError(`postgres://treesnap@127.0.0.1:${port}/history`, { connectTimeoutMs: 500 });
      assert.match(err.message, /timed out connecting/);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  test('a host that does not resolve', async () => {
    const err = await openError('postgres://treesnap@no-such-host.invalid:5432/history', { connectTimeoutMs: 5000 });
    assert.match(err.message, /unknown host|could not be resolved|timed out connecting/);
  });

  test('a wrong password, and no password where one is required', async () => {
    const wrong = await openError(withUrl(pgBase(), { user: role, password: 'wrong-secret' }));
    assert.match(wrong.message, /: authentication failed \(wrong password\)$/);
    assert.doesNotMatch(wrong.message, /wrong-secret/);
    const none = await openError(withUrl(pgBase(), { user: role }));
    assert.match(none.message, /asks for a password|authentication failed/);
    const right = await openPool(withUrl(pgBase(), { user: role, password: 'right-secret' }));
    await right.end();
  });

  test('no such database', async () => {
    const err = await openError(withUrl(pgBase(), { database: 'no_such_history' }));
    assert.match(err.message, /no such database/);
  });

  test('bigints come back as numbers; a statement past the statement timeout is cancelled', async () => {
    const pool = await openPool(pgBase(), { statementTimeoutMs: 300 });
    try {
      const { rows } = await pool.query<{ t: number; n: number }>('SELECT 1795615282930::bigint AS t, count(*) AS n FROM pg_class');
      assert.equal(rows[0]!.t, 1795615282930);
      assert.equal(typeof rows[0]!.n, 'number');
      await assert.rejects(pool.query('SELECT pg_sleep(30)'), (e: { code?: string }) => e.code === '57014');
    } finally {
      await pool.end();
    }
  });
});
