// Retention on real files: the file stops growing across prune cycles, the
// `prune` command (dry run, JSON, errors), and `run --retain` pruning at its
// first tick.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SOURCES } from '../../src/snapshot/source-name.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { pruneHistory } from '../../src/store/prune.js';
import { readSourceState } from '../../src/store/read-source-state.js';
import { writeSnapshot } from '../../src/store/write-snapshot.js';
import { runTreesnap, spawnTreesnap } from '../support/daemon-process.js';
import { parsePrometheusText, promValue } from '../support/prometheus-text.js';
import { observation, type ClusterSpec } from '../support/observation.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'treesnap-retention-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

/** A cluster of 200 hosts in which, each collection, a different tenth moves leaf and one host flaps offline. */
function churn(i: number, at: number): ClusterSpec {
  const hosts = Array.from({ length: 200 }, (_, h) => `h${h}`);
  const leaves: Record<string, string[]> = {};
  for (const [n, h] of hosts.entries()) {
    const moved = n % 10 === i % 10;
    const leaf = `L${(Math.floor(n / 20) + (moved ? i : 0)) % 10}`;
    (leaves[leaf] ??= []).push(h);
  }
  return { leaves, offline: [`h${i % 200}`], missing: i % 3 === 0 ? ['h7'] : [], at };
}

function fileBytes(path: string): number {
  return statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0);
}

function stateAt(db: Db, id: number): string[][] {
  return SOURCES.map((s) => readSourceState(db, s, id).map((f) => `${f.kind}|${f.entity}|${f.value}`).sort());
}

test('the file does not grow without bound across prune cycles, and kept history reads the same', { timeout: 180_000 }, () => {
  const path = join(dir, 'cycles.db');
  const db = openDatabase(path);
  const sizes: number[] = [];
  let i = 0;
  try {
    for (let cycle = 0; cycle < 8; cycle++) {
      for (let n = 0; n < 150; n++, i++) writeSnapshot(db, observation(churn(i, i * MIN)));
      const keepFrom = (i - 100) * MIN;
      const keptIds = db.$client.prepare('SELECT id FROM snapshots WHERE started_at >= ? ORDER BY id').pluck().all(keepFrom) as number[];
      const sample = [keptIds[0]!, keptIds[50]!, keptIds.at(-1)!];
      const before = sample.map((id) => stateAt(db, id));
      const r = pruneHistory(db, { before: keepFrom });
      assert.equal(r.oldestKept, keptIds[0]);
      assert.deepEqual(sample.map((id) => stateAt(db, id)), before, `cycle ${cycle}: kept snapshots read the same`);
      if (cycle > 0) assert.ok(r.bytesFreed > 0, `cycle ${cycle}: incremental vacuum returned pages`);
      sizes.push(fileBytes(path));
    }
  } finally {
    db.$client.close();
  }
  // Each cycle holds the same amount of history: after the first couple, the file stays flat.
  const settled = sizes.slice(2);
  assert.ok(Math.max(...settled) <= Math.min(...settled) * 1.15, `sizes per cycle: ${sizes.join(', ')}`);
});

test('treesnap prune: dry run, JSON, the real thing, and its errors', { timeout: 60_000 }, async () => {
  const path = join(dir, 'cli.db');
  const db = openDatabase(path);
  const now = Date.now();
  for (let k = 0; k < 30; k++) writeSnapshot(db, observation(churn(k, now - (30 - k) * DAY + DAY / 2)));
  db.$client.close();

  const dry = await runTreesnap(['prune', '--db', path, '--older-than', '10d', '--dry-run', '--json']);
  assert.equal(dry.code, 0, dry.stderr);
  const planned = JSON.parse(dry.stdout) as { dryRun: boolean; snapshotsDeleted: number; versionsDeleted: number; versionsCarried: number };
  assert.equal(planned.dryRun, true);
  assert.equal(planned.snapshotsDeleted, 20);
  const real = await runTreesnap(['prune', '--db', path, '--older-than', '10d', '--json']);
  assert.equal(real.code, 0, real.stderr);
  const done = JSON.parse(real.stdout) as typeof planned;
  assert.deepEqual(
    [done.snapshotsDeleted, done.versionsDeleted, done.versionsCarried],
    [planned.snapshotsDeleted, planned.versionsDeleted, planned.versionsCarried],
  );
  const text = await runTreesnap(['prune', '--db', path, '--older-than', '10d']);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^nothing older than .* to prune\n$/);

  const missing = await runTreesnap(['prune', '--db', join(dir, 'absent.db'), '--older-than', '10d']);
  assert.equal(missing.code, 6);
  assert.match(missing.stderr, /^treesnap: no history at .*absent\.db\n$/);
  const bad = await runTreesnap(['prune', '--db', path, '--older-than', 'ninety days']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^treesnap: --older-than: "ninety days" is not a duration/);
});

test('run --retain prunes at its first tick', { timeout: 90_000 }, async () => {
  const path = join(dir, 'daemon.db');
  const db = openDatabase(path);
  const now = Date.now();
  for (let k = 0; k < 12; k++) writeSnapshot(db, observation(churn(k, now - 3 * DAY + k * MIN)));
  for (let k = 0; k < 3; k++) writeSnapshot(db, observation(churn(k, now - 10 * MIN + k * MIN)));
  db.$client.close();

  const d = spawnTreesnap([
    'run', '--zk', '127.0.0.1:1', '--connect-timeout', '200ms', '--db', path, '--cron', '* * * * * *',
    '--retain', '1d', '--metrics-port', '0', '--log-format', 'json',
  ]);
  try {
    const { line: started } = await d.waitFor((l) => l.msg === 'started', { timeoutMs: 30_000, what: 'started' });
    const { line: pruned } = await d.waitFor((l) => l.msg === 'pruned', { timeoutMs: 30_000, what: 'pruned' });
    assert.equal(pruned.snapshotsDeleted, 12);
    const m = parsePrometheusText(await (await fetch(String(started.metrics))).text());
    assert.equal(promValue(m, 'treesnap_pruned_snapshots_total'), 12);
    assert.ok(promValue(m, 'treesnap_database_size_bytes') > 0);
    assert.deepEqual(await d.stop('SIGTERM'), { code: 0, signal: null });
  } finally {
    await d.stop('SIGKILL');
  }
  const check = openDatabase(path, { readonly: true });
  try {
    const oldest = check.$client.prepare('SELECT min(started_at) FROM snapshots').pluck().get() as number;
    assert.ok(oldest >= now - DAY);
    // The last snapshot before the daemon's ticks still reads the cluster (the daemon's ZooKeeper is dead: unknown, not empty).
    assert.equal(readSourceState(check, 'zk.hosts', 15).length, 200);
  } finally {
    check.$client.close();
  }
});
