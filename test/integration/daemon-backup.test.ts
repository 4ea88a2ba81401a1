// The daemon and the history's safety: a backup taken while `treesnap run`
// collects every second for a minute (the backup taken half-way) verifies and
// answers queries like the source at its last snapshot; the daemon's own --backup-dir backups; and a daemon whose
// file gets damaged while it runs stops writing and says so in its log and
// its metrics.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { startZookeeper, type ZkServer } from '../../scripts/zookeeper-server.js';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { openDatabase } from '../../src/store/open-database.js';
import { leaves, zeroPage } from '../support/damage-page.js';
import { runTreesnap, spawnTreesnap, type LogLine } from '../support/daemon-process.js';
import { parsePrometheusText, promValue } from '../support/prometheus-text.js';
import { randomHistory, writeHistory } from '../support/random-history.js';

const WAIT = { timeoutMs: 30_000 };
let dir: string;
let zk: ZkServer;
let sim: SimulatedCluster | undefined;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'treesnap-backup-'));
  zk = await startZookeeper();
});

after(async () => {
  await sim?.stop({ clean: false });
  await zk?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const isCollection = (l: LogLine) => l.msg === 'collection';

async function json(args: string[]): Promise<unknown> {
  const r = await runTreesnap([...args, '--json']);
  assert.ok(r.code === 0 || r.code === 3, `${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

test('a backup taken while the daemon collects every second verifies and answers like the source at its last snapshot', { timeout: 300_000 }, async () => {
  sim = await startSimulatedCluster({ zk: `${zk.connectString}/sim`, hosts: 12, fanout: 4 });
  const db = join(dir, 'live.db');
  const backups = join(dir, 'daemon-backups');
  mkdirSync(backups);
  const d = spawnTreesnap([
    'run', '--zk', `${zk.connectString}/sim`, '--db', db, '--cron', '* * * * * *',
    '--connect-timeout', '1s', '--timeout', '1s', '--probe-timeout', '500ms', '--metrics-port', '0', '--log-format', 'json',
    '--backup-dir', backups, '--backup-every', '4s', '--backup-keep', '2',
  ]);
  const copy = join(dir, 'copy.db');
  try {
    const { line: started } = await d.waitFor((l) => l.msg === 'started', { ...WAIT, what: 'started' });
    let at = (await d.waitFor(isCollection, { ...WAIT, what: 'a collection' })).index;
    // Something changes while it runs: an agent goes down, then the chairman.
    await sim.stopAgent(sim.hostIds[3]!);
    for (let i = 0; i < 30; i++) at = (await d.waitFor(isCollection, { ...WAIT, from: at + 1, what: 'collections' })).index;
    const r = await runTreesnap(['backup', copy, '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^backed up \d+ snapshot\(s\) through #\d+ to .*copy\.db \(verified\)\n$/);
    await sim.stopChairman();
    for (let i = 0; i < 30; i++) at = (await d.waitFor(isCollection, { ...WAIT, from: at + 1, what: 'collections after the backup' })).index;
    await sim.startChairman();
    await d.waitFor((l) => l.msg === 'backed up', { ...WAIT, what: "the daemon's own backup" });
    const m = parsePrometheusText(await (await fetch(String(started.metrics))).text());
    assert.ok(Date.now() / 1000 - promValue(m, 'treesnap_last_backup_timestamp_seconds') < 30, 'last backup is recent');
    assert.equal(promValue(m, 'treesnap_backup_failures_total'), 0);
    assert.equal(promValue(m, 'treesnap_history_check_ok'), 1);
    assert.deepEqual(await d.stop('SIGTERM'), { code: 0, signal: null });
  } finally {
    await d.stop('SIGKILL');
  }

  const v = await runTreesnap(['verify', '--db', copy]);
  assert.equal(v.code, 0, v.stdout + v.stderr);
  const last = (new Database(copy, { readonly: true }).prepare('SELECT max(id) FROM snapshots').pluck().get() as number);
  const liveLast = (new Database(db, { readonly: true }).prepare('SELECT max(id) FROM snapshots').pluck().get() as number);
  assert.ok(last > 5 && liveLast > last + 5, `the copy (#${last}) is a moment of the live history (#${liveLast})`);
  for (const q of [['show', String(last)], ['drift', String(last)], ['diff', '1', String(last)]]) {
    assert.deepEqual(await json([...q, '--db', copy]), await json([...q, '--db', db]), `${q.join(' ')} answers alike`);
  }
  // The daemon kept at most --backup-keep backups, each one verifying.
  const kept = readdirSync(backups).filter((n) => n.endsWith('.db'));
  assert.ok(kept.length >= 1 && kept.length <= 2, kept.join(', '));
  for (const name of kept) assert.equal((await runTreesnap(['verify', '--quick', '--db', join(backups, name)])).code, 0);
  assert.deepEqual(readdirSync(backups).filter((n) => n.startsWith('.')), [], 'no temporary file left');
  assert.equal(statSync(copy).mode & 0o077, 0, 'owner-only, as the history');
});

test('a daemon whose file gets damaged while it runs stops writing, and says so in its log and metrics', { timeout: 120_000 }, async () => {
  const db = join(dir, 'damaged-live.db');
  const w = openDatabase(db);
  writeHistory(w, randomHistory(11, 3000, 400));
  w.$client.close();
  const d = spawnTreesnap([
    'run', '--zk', '127.0.0.1:1', '--connect-timeout', '200ms', '--db', db, '--cron', '* * * * * *',
    '--verify-every', '1s', '--metrics-port', '0', '--log-format', 'json',
  ]);
  try {
    const { line: started } = await d.waitFor((l) => l.msg === 'started', { ...WAIT, what: 'started' });
    await d.waitFor(isCollection, { ...WAIT, what: 'a collection into the good file' });
    // Damage every tenth leaf of the versions: pages the daemon's own writes (snapshot rows, no versions) never touch.
    for (const [i, leaf] of leaves(db, 'fact_versions', true).entries()) if (i % 10 === 5) zeroPage(db, leaf.pageno);
    const { line: found, index } = await d.waitFor((l) => l.msg === 'history file damaged: no more writes until restarted on a good file', { ...WAIT, what: 'damage found' });
    assert.match(String(found.next), /treesnap verify --db/);
    const before = new Database(db, { readonly: true }).prepare('SELECT max(id) FROM snapshots').pluck().get() as number;
    await d.waitFor((l) => /^tick skipped: the history file is damaged/.test(String(l.msg)), { ...WAIT, from: index + 1, what: 'a tick skipped' });
    await d.waitFor((l) => /^tick skipped: the history file is damaged/.test(String(l.msg)), { ...WAIT, from: index + 2, what: 'another' });
    const m = parsePrometheusText(await (await fetch(String(started.metrics))).text());
    assert.equal(promValue(m, 'treesnap_history_check_ok'), 0);
    assert.equal(d.lines.slice(index + 1).filter(isCollection).length, 0, 'no collection recorded after the damage was found');
    const afterIds = new Database(db, { readonly: true }).prepare('SELECT max(id) FROM snapshots').pluck().get() as number;
    assert.equal(afterIds, before, 'nothing written');
    assert.deepEqual(await d.stop('SIGTERM'), { code: 0, signal: null });
  } finally {
    await d.stop('SIGKILL');
  }
  // Restarted on the damaged file, it refuses to start.
  const again = await runTreesnap(['run', '--zk', '127.0.0.1:1', '--db', db, '--cron', '* * * * * *']);
  assert.equal(again.code, 6);
  assert.match(again.stderr, /^treesnap: .* is damaged \(SQLite quick_check: .*\); nothing was written\. Run `treesnap verify --db/);
});
