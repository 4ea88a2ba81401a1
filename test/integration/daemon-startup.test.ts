// `treesnap run` validates everything before it starts and fails fast: one
// line on stderr, the documented exit code, nothing left running.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openDatabase } from '../../src/store/open-database.js';
import { runTreesnap } from '../support/daemon-process.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'treesnap-startup-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const ZK = ['--zk', '127.0.0.1:1'];

async function failsWith(args: string[], code: number, stderr: RegExp): Promise<void> {
  const r = await runTreesnap(['run', ...args]);
  assert.equal(r.code, code, `exit code; stderr: ${r.stderr}`);
  assert.match(r.stderr, stderr);
  assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, `one line: ${r.stderr}`);
  assert.ok(!r.stdout.includes('"started"'), 'did not start');
}

test('bad configuration: exit 2 with a one-line reason', { timeout: 120_000 }, async () => {
  const db = ['--db', join(dir, 'cfg.db')];
  await failsWith([...db], 2, /^treesnap: no ZooKeeper given/);
  await failsWith([...ZK, ...db, '--cron', '61 * * * *'], 2, /^treesnap: --cron "61 \* \* \* \*": 61 is a invalid expression for minute/);
  await failsWith([...ZK, ...db, '--cron', '*/5 * * * *', '--budget', '10m'], 2, /^treesnap: --budget: budget 600000 ms is longer than the schedule's interval/);
  await failsWith([...ZK, ...db, '--retain', 'forever'], 2, /^treesnap: --retain: "forever" is not a duration/);
  await failsWith([...ZK, ...db, '--metrics-port', '70000'], 2, /^treesnap: --metrics-port must be a whole number from 0 to 65535/);
});

test('a metrics port already in use: exit 2, the database closed', { timeout: 60_000 }, async () => {
  const busy: Server = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  const port = (busy.address() as { port: number }).port;
  const path = join(dir, 'port.db');
  try {
    await failsWith([...ZK, '--db', path, '--metrics-port', String(port)], 2, new RegExp(`^treesnap: --metrics-port: cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use by another process`));
  } finally {
    busy.close();
  }
  assertClosedCleanly(path);
});

/**
 * What a closed database leaves behind: the daemon opened (and migrated) it in WAL mode, and
 * only a close checkpoints the WAL into the file and removes the -wal and -shm files; a
 * process that ends with the database open leaves them. A writer can then lock it at once.
 */
function assertClosedCleanly(path: string): void {
  assert.ok(existsSync(path), 'the daemon opened (created) the database before failing');
  assert.deepEqual(['-wal', '-shm'].filter((s) => existsSync(path + s)), [], 'no WAL files left behind');
  const c = new Database(path, { fileMustExist: true, timeout: 0 });
  try {
    assert.equal(c.pragma('journal_mode', { simple: true }), 'wal', 'it was opened for writing (migrated, WAL mode)');
    c.exec('BEGIN EXCLUSIVE');
    c.exec('COMMIT');
  } finally {
    c.close();
  }
}

test('an unusable database: exit 6', { timeout: 60_000 }, async () => {
  const garbage = join(dir, 'garbage.db');
  writeFileSync(garbage, 'this is not a database, it is a text file long enough to have a header '.repeat(10));
  await failsWith([...ZK, '--db', garbage], 6, /^treesnap: database .*garbage\.db: file is not a database/);

  const newer = join(dir, 'newer.db');
  openDatabase(newer).$client.close();
  const c = new Database(newer);
  c.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('future', Date.now() + 365 * 86_400_000);
  c.close();
  await failsWith([...ZK, '--db', newer], 6, /^treesnap: database schema is newer than this treesnap understands/);
});
