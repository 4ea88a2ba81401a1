// Two writers on one history file: `treesnap collect` from cron next to the
// daemon. A second writer waits for the lock (busy timeout, 5 s); one that
// cannot get it fails cleanly (exit 6, one line, nothing written), and the
// daemon logs the tick it could not record and carries on. Never corruption.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runTreesnap, spawnTreesnap, type Exit, type LogLine } from '../support/daemon-process.js';
import { waitFor } from '../support/wait-for.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'treesnap-writers-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

// A ZooKeeper nobody listens on: each collection fails fast and still records a snapshot.
const DEAD_ZK = ['--zk', '127.0.0.1:1', '--connect-timeout', '200ms'];

/** Holds the write lock from this process, as another treesnap mid-write would. */
function holdWriteLock(path: string): { release(): void } {
  const c = new Database(path);
  c.exec('BEGIN IMMEDIATE');
  return {
    release() {
      c.exec('COMMIT');
      c.close();
    },
  };
}

function inspect(path: string): { snapshots: number[]; integrity: string } {
  const c = new Database(path, { readonly: true });
  try {
    return {
      snapshots: c.prepare('SELECT id FROM snapshots ORDER BY id').pluck().all() as number[],
      integrity: c.pragma('integrity_check', { simple: true }) as string,
    };
  } finally {
    c.close();
  }
}

test('collect fails cleanly with exit 6 when the lock is held past the busy timeout', { timeout: 60_000 }, async () => {
  const db = join(dir, 'locked.db');
  assert.equal((await runTreesnap(['collect', ...DEAD_ZK, '--db', db])).code, 5, 'a first snapshot (nothing readable)');
  const lock = holdWriteLock(db);
  let r;
  try {
    r = await runTreesnap(['collect', ...DEAD_ZK, '--db', db]);
  } finally {
    lock.release();
  }
  assert.equal(r.code, 6, r.stderr);
  assert.match(r.stderr, /^treesnap: cannot record the snapshot: database is locked by another writer.*nothing was written\n$/);
  assert.deepEqual(inspect(db), { snapshots: [1], integrity: 'ok' });
});

/**
 * The process has the database open and its main thread sleeps in the kernel's nanosleep:
 * SQLite's busy handler between lock attempts (a Node process otherwise waits in epoll).
 */
function sleepsOnTheLock(pid: number, path: string): boolean {
  try {
    const fds = readdirSync(`/proc/${pid}/fd`).map((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return '';
      }
    });
    return fds.includes(realpathSync(path)) && readFileSync(`/proc/${pid}/wchan`, 'utf8').includes('nanosleep');
  } catch {
    return false; // not started yet, or gone (the exit is checked separately)
  }
}

test('collect waits for a lock held briefly, then records', { timeout: 60_000 }, async () => {
  const db = join(dir, 'wait.db');
  assert.equal((await runTreesnap(['collect', ...DEAD_ZK, '--db', db])).code, 5);
  const lock = holdWriteLock(db);
  let exit: Exit | null = null;
  const c = spawnTreesnap(['collect', ...DEAD_ZK, '--db', db]);
  void c.exited.then((e) => (exit = e));
  try {
    // Held until the second writer is seen waiting for it (its busy timeout is 5 s; this polls every 50 ms).
    await waitFor('the second collect waiting in SQLite\'s busy handler', async () => {
      if (exit) throw new Error(`the second collect ended while the lock was held: ${JSON.stringify(exit)}; stderr: ${c.stderr()}`);
      return sleepsOnTheLock(c.child.pid!, db);
    });
    assert.deepEqual(inspect(db).snapshots, [1], 'nothing written while the lock is held');
    assert.equal(exit, null, 'still waiting, not failed');
  } finally {
    lock.release();
  }
  assert.deepEqual(await c.exited, { code: 5, signal: null }, c.stderr());
  assert.deepEqual(inspect(db), { snapshots: [1, 2], integrity: 'ok' });
});

test('the daemon and cron-style collects share one file: every write lands, nothing is corrupted', { timeout: 120_000 }, async () => {
  const db = join(dir, 'shared.db');
  const d = spawnTreesnap(['run', ...DEAD_ZK, '--db', db, '--cron', '* * * * * *', '--backoff-after', '0', '--log-format', 'json']);
  try {
    await d.waitFor((l) => l.msg === 'collection', { timeoutMs: 30_000, what: 'daemon recording' });
    for (let i = 0; i < 3; i++) assert.equal((await runTreesnap(['collect', ...DEAD_ZK, '--db', db])).code, 5);
    assert.deepEqual(await d.stop('SIGTERM'), { code: 0, signal: null });
  } finally {
    await d.stop('SIGKILL');
  }
  const daemonWrites = d.lines.filter((l) => l.msg === 'collection');
  assert.ok(daemonWrites.every((l) => l.recorded !== false), 'the daemon recorded every tick');
  const { snapshots, integrity } = inspect(db);
  assert.equal(integrity, 'ok');
  assert.equal(snapshots.length, daemonWrites.length + 3);
  assert.deepEqual(snapshots, snapshots.map((_, i) => i + 1), 'no gap, no duplicate');
});

test('a daemon that cannot get the lock logs the unrecorded tick and recovers', { timeout: 120_000 }, async () => {
  const db = join(dir, 'daemon-locked.db');
  const d = spawnTreesnap(['run', ...DEAD_ZK, '--db', db, '--cron', '* * * * * *', '--backoff-after', '0', '--log-format', 'json']);
  try {
    const first = await d.waitFor((l) => l.msg === 'collection', { timeoutMs: 30_000, what: 'a recorded tick' });
    const lock = holdWriteLock(db);
    let failed: LogLine;
    try {
      failed = (await d.waitFor((l) => l.msg === 'collection' && l.recorded === false, { timeoutMs: 30_000, from: first.index + 1, what: 'an unrecorded tick' })).line;
    } finally {
      lock.release();
    }
    assert.equal(failed.level, 'error');
    assert.match(String(failed.error), /database is locked/);
    const after = d.lines.length;
    await d.waitFor((l) => l.msg === 'collection' && typeof l.snapshot === 'number', { timeoutMs: 30_000, from: after, what: 'recording again' });
    assert.deepEqual(await d.stop('SIGTERM'), { code: 0, signal: null });
  } finally {
    await d.stop('SIGKILL');
  }
  assert.equal(inspect(db).integrity, 'ok');
});
