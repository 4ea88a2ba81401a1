// The sources' codes (src/store/source-codes.ts): every stored source has one,
// a file lists exactly the ones its writer uses, a file written with names
// (0008) reads the same after its migration with no row lost, and a write-open
// mends a missing code but refuses a file that lists one differently.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { DatabaseError } from '../../../src/errors.js';
import { STORED_SOURCES } from '../../../src/snapshot/source-name.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { sourceOutcomes } from '../../../src/store/snapshot-index.js';
import { SOURCE_CODES } from '../../../src/store/source-codes.js';
import { versionsInRange } from '../../../src/store/version-reads.js';
import { migrationsThrough } from '../../support/old-migrations.js';

function withDir(run: (dir: string) => void | Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'treesnap-codes-'));
  return Promise.resolve(run(dir)).finally(() => rmSync(dir, { recursive: true, force: true }));
}

const listed = (c: Database.Database) => c.prepare('SELECT name, code FROM source_codes ORDER BY code').all() as { name: string; code: number }[];

test('every stored source has its own code, and a new file lists exactly those', () => {
  assert.deepEqual(Object.keys(SOURCE_CODES).sort(), [...STORED_SOURCES].sort());
  const codes = Object.values(SOURCE_CODES);
  assert.equal(new Set(codes).size, codes.length, 'no code is used twice');
  const db = openDatabase(':memory:');
  try {
    const want = Object.entries(SOURCE_CODES).map(([name, code]) => ({ name, code })).sort((a, b) => a.code - b.code);
    assert.deepEqual(listed(db.$client), want);
  } finally {
    db.$client.close();
  }
});

test('a file written with names (0008) reads the same after migration; a name no code stands for is kept as it was', async () => {
  const { drizzle } = await import('drizzle-orm/better-sqlite3');
  const { migrate } = await import('drizzle-orm/better-sqlite3/migrator');
  await withDir((dir) => {
    const path = join(dir, 'old.db');
    const old = new Database(path);
    migrate(drizzle(old), { migrationsFolder: migrationsThrough(dir, 8) });
    // Cluster 1, `default`, came with migration 0004.
    old.exec(`INSERT INTO snapshots (cluster, id, started_at, finished_at, failed_sources) VALUES (1, 1, 1000, 2000, 1), (1, 2, 3000, 4000, 0);
      INSERT INTO snapshot_sources (cluster, snapshot_id, source, ok, error_kind, error_message, duration_ms, endpoint, stats) VALUES
        (1, 1, 'status', 1, NULL, NULL, 5, NULL, '{}'), (1, 1, 'chairman', 0, 'timeout', 'no answer in 2000 ms', 2000, '10.0.0.1:13000', '{}'),
        (1, 2, 'status', 1, NULL, NULL, 6, NULL, '{}'), (1, 2, 'chairman', 1, NULL, NULL, 7, '10.0.0.1:13000', '{}');
      INSERT INTO fact_keys (id, cluster, source, kind, entity) VALUES (1, 1, 'status', 'status', 'h1'), (2, 1, 'zk.future', 'status', 'h1');
      INSERT INTO fact_versions (cluster, key_id, from_snapshot, value, source) VALUES
        (1, 1, 1, '{"status":"READY"}', 'status'), (1, 1, 2, NULL, 'status'), (1, 2, 2, '{"x":1}', 'zk.future');`);
    old.close();

    const db = openDatabase(path);
    try {
      const c = db.$client;
      assert.deepEqual(
        sourceOutcomes(db, 1).map((o) => [o.source, o.ok, o.errorKind]),
        [['chairman', false, 'timeout'], ['status', true, null]],
        'outcomes read by name, in the names\' order',
      );
      assert.deepEqual(
        [...versionsInRange(db, 0, 2, ['status'])].map((v) => [v.snapshot, v.source, v.entity, v.value]),
        [[1, 'status', 'h1', '{"status":"READY"}'], [2, 'status', 'h1', null]],
      );
      assert.deepEqual(c.prepare('SELECT source, typeof(source) AS type FROM fact_versions ORDER BY key_id, from_snapshot').all(), [
        { source: SOURCE_CODES.status, type: 'integer' },
        { source: SOURCE_CODES.status, type: 'integer' },
        { source: 'zk.future', type: 'text' },
      ]);
      assert.equal(c.prepare('SELECT count(*) FROM snapshot_sources').pluck().get(), 4);
    } finally {
      db.$client.close();
    }
  });
});

test("a write-open adds a code the file lacks, and refuses a file that lists one differently", async () => {
  await withDir((dir) => {
    const path = join(dir, 'h.db');
    openDatabase(path).$client.close();
    const raw = new Database(path);
    raw.prepare("DELETE FROM source_codes WHERE name = 'zk.watch'").run();
    raw.close();
    const db = openDatabase(path);
    assert.equal(db.$client.prepare("SELECT code FROM source_codes WHERE name = 'zk.watch'").pluck().get(), SOURCE_CODES['zk.watch']);
    db.$client.close();

    const tampered = new Database(path);
    tampered.prepare("UPDATE source_codes SET code = 99 WHERE name = 'drift'").run();
    tampered.close();
    assert.throws(() => openDatabase(path), (e: unknown) => e instanceof DatabaseError && /source_codes names drift 99, where this treesnap writes 9/.test(e.message));

    // A code another name holds: the missing source cannot take it, and the file is refused as well.
    const taken = new Database(path);
    taken.exec("UPDATE source_codes SET code = 9 WHERE name = 'drift'; DELETE FROM source_codes WHERE name = 'zk.watch'; INSERT INTO source_codes VALUES (11, 'zk.other')");
    taken.close();
    assert.throws(() => openDatabase(path), (e: unknown) => e instanceof DatabaseError && /source_codes names zk.watch nothing, where this treesnap writes 11/.test(e.message));
  });
});
