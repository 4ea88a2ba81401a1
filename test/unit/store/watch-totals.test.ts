// The running counts of watched changes (src/store/watch-totals.ts): a range's
// count from the totals of its first and last versions equals the count of
// every version's events, on the bench's generated history, with totals for
// every version, for only the newer ones (as after a version prune carried
// forward), for none, after a prune, and after an export and import; and
// migration 0010 fills an older file's totals as the writer would have written them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { generateHistory, historySpec } from '../../../bench/history/generate-history.js';
import { SOURCES } from '../../../src/snapshot/source-name.js';
import { openDatabase, type SqliteHistory } from '../../../src/store/open-database.js';
import { pruneHistory } from '../../../src/store/prune.js';
import { exportCluster } from '../../../src/store/cluster-export.js';
import { importCluster } from '../../../src/store/cluster-import.js';
import { watchedChangesOfPath } from '../../../src/store/watch-record-reads.js';
import { countWatchedChanges } from '../../../src/store/watch-totals.js';
import { writeSnapshotDelta } from '../../../src/store/write-snapshot-delta.js';
import { withWriteTransaction } from '../../../src/store/write-transaction.js';
import { migrationsThrough } from '../../support/old-migrations.js';

const SNAPSHOTS = 600;

function generated(): SqliteHistory {
  const db = openDatabase(':memory:');
  withWriteTransaction(db, () => generateHistory(historySpec(100, SNAPSHOTS), (delta) => void writeSnapshotDelta(db, delta)));
  return db;
}

const paths = (db: SqliteHistory) =>
  db.$client.prepare("SELECT entity FROM fact_keys WHERE source = 'zk.watch' AND entity LIKE '/%' ORDER BY entity").pluck().all() as string[];
const totals = (db: SqliteHistory) => db.$client.prepare('SELECT count(*) FROM watch_totals').pluck().get() as number;

/** Every path's count over ranges near and far from `from` on (a hundred or so). */
function counts(db: SqliteHistory, from: number): number[] {
  const out: number[] = [];
  for (const p of paths(db)) {
    for (let a = from; a < SNAPSHOTS; a += 37) {
      for (const b of [a + 1, a + 2, a + 60, a + 211, SNAPSHOTS]) out.push(watchedChangesOfPath(db, a, Math.min(b, SNAPSHOTS), p));
    }
  }
  return out;
}

test('counts from running totals equal counts of every version: all, the newer only, none, after a prune', () => {
  const db = generated();
  try {
    assert.ok(totals(db) > 30, 'the writer records totals');
    const withTotals = counts(db, 0);
    assert.ok(withTotals.filter((n) => n > 1).length > 30, 'ranges with several changes are compared');
    // The oldest versions without a total, the newer counting from where theirs begin.
    db.$client.prepare('DELETE FROM watch_totals WHERE from_snapshot < 300').run();
    assert.deepEqual(counts(db, 0), withTotals);
    db.$client.prepare('DELETE FROM watch_totals').run();
    assert.deepEqual(counts(db, 0), withTotals);
  } finally {
    db.$client.close();
  }
  const pruned = generated();
  try {
    const before = counts(pruned, 200);
    pruneHistory(pruned, { before: pruned.$client.prepare('SELECT started_at FROM snapshots WHERE id = 200').pluck().get() as number });
    assert.equal(pruned.$client.prepare('SELECT count(*) FROM watch_totals WHERE from_snapshot < 200').pluck().get(), 0, 'prune drops the totals of what it drops');
    assert.deepEqual(counts(pruned, 200), before);
    pruned.$client.prepare('DELETE FROM watch_totals').run();
    assert.deepEqual(counts(pruned, 200), before);
  } finally {
    pruned.$client.close();
  }
});

test('a version whose predecessor has no total starts the count again, and ranges across it are counted from the values', () => {
  const db = openDatabase(':memory:');
  try {
    const children = (n: number) => ({ kind: 'watch' as const, entity: '/missing', value: JSON.stringify({ events: [{ added: Array.from({ length: n }, (_, i) => `h${i}`), kind: 'children', stat: {} }] }) });
    const write = (i: number) =>
      writeSnapshotDelta(db, { startedAt: i * 1000, finishedAt: i * 1000 + 1, outcomes: SOURCES.map((source) => ({ source, ok: true, durationMs: 1 })), writes: [], watch: [children(i)] });
    for (let i = 1; i <= 3; i++) write(i);
    db.$client.prepare('DELETE FROM watch_totals').run(); // as a version prune carried forward
    for (let i = 4; i <= 6; i++) write(i);
    assert.deepEqual(db.$client.prepare('SELECT from_snapshot, total FROM watch_totals ORDER BY 1').all(), [
      { from_snapshot: 4, total: 4 },
      { from_snapshot: 5, total: 9 },
      { from_snapshot: 6, total: 15 },
    ]);
    for (let a = 0; a <= 6; a++) {
      for (let b = a; b <= 6; b++) {
        let expected = 0;
        for (let i = a + 1; i <= b; i++) expected += i;
        assert.equal(watchedChangesOfPath(db, a, b, '/missing'), expected, `${a}..${b}`);
      }
    }
  } finally {
    db.$client.close();
  }
});

test('an imported history keeps every running count, under its own key ids', () => {
  const db = generated();
  const into = openDatabase(':memory:');
  try {
    importCluster(into, exportCluster(db));
    const byPath = (h: SqliteHistory) =>
      h.$client.prepare('SELECT k.entity, t.from_snapshot, t.total FROM watch_totals t JOIN fact_keys k ON k.id = t.key_id ORDER BY 1, 2').all();
    assert.ok(byPath(db).length > 30);
    assert.deepEqual(byPath(into), byPath(db));
  } finally {
    db.$client.close();
    into.$client.close();
  }
});

// Values another program or an older treesnap may have left, with what each counts.
const VALUES: [string | null, number][] = [
  ['{"events":[{"added":["a","b"],"kind":"children","removed":["c"],"stat":{"cversion":4}}]}', 3],
  ['{"events":[{"kind":"data","stat":{}},{"kind":"deleted","stat":{}}]}', 1],
  [null, 0],
  ['{"events":[{"kind":"data","stat":null},{"kind":"data"}]}', 0],
  ['{"events":[null,5,[1],"x"]}', 0],
  ['{"events":{"kind":"data","stat":{}}}', 0],
  ['not json', 0],
  ['{"events":[{"added":"x","kind":"children","stat":{}},{"kind":5,"stat":1}]}', 1],
  ['{"events":[{"added":["d"],"kind":"children","stat":{}}]}', 1],
  ['[]', 0],
];

test('migration 0010 fills the totals an older file lacks as the writer counts them', async () => {
  const { drizzle } = await import('drizzle-orm/better-sqlite3');
  const { migrate } = await import('drizzle-orm/better-sqlite3/migrator');
  const dir = mkdtempSync(join(tmpdir(), 'treesnap-totals-'));
  try {
    const path = join(dir, 'old.db');
    const old = new Database(path);
    migrate(drizzle(old), { migrationsFolder: migrationsThrough(dir, 9) });
    const insert = old.prepare('INSERT INTO fact_versions (cluster, key_id, from_snapshot, value, source) VALUES (1, ?, ?, ?, 11)');
    old.exec(`INSERT INTO fact_keys (id, cluster, source, kind, entity) VALUES (1, 1, 'zk.watch', 'watch', '/missing'), (2, 1, 'zk.watch', 'watch', '/hosts/h1'),
      (3, 1, 'zk.watch', 'watch', 'gap:5'), (4, 1, 'status', 'status', '/h1')`);
    VALUES.forEach(([value], i) => insert.run(1 + (i % 2), i + 1, value));
    insert.run(3, 3, '{"events":[{"kind":"data","stat":{}}]}');
    old.prepare("INSERT INTO fact_versions (cluster, key_id, from_snapshot, value, source) VALUES (1, 4, 1, '{\"events\":[{\"kind\":\"data\",\"stat\":{}}]}', 7)").run();
    old.close();

    const expected: { key_id: number; from_snapshot: number; total: number }[] = [];
    const running = new Map<number, number>();
    VALUES.forEach(([value, n], i) => {
      assert.equal(value === null ? 0 : countWatchedChanges(value), n, `countWatchedChanges(${value})`);
      const key = 1 + (i % 2);
      if (value === null) return;
      running.set(key, (running.get(key) ?? 0) + n);
      expected.push({ key_id: key, from_snapshot: i + 1, total: running.get(key)! });
    });
    expected.sort((x, y) => x.key_id - y.key_id || x.from_snapshot - y.from_snapshot);

    const db = openDatabase(path);
    try {
      assert.deepEqual(db.$client.prepare('SELECT key_id, from_snapshot, total FROM watch_totals ORDER BY 1, 2').all(), expected, 'watched paths only, their non-empty versions');
    } finally {
      db.$client.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
