// A history written before clusters existed (the schema of migrations
// 0000-0003) migrates in place to cluster `default` (migration 0004): every
// snapshot id, outcome, version, checkpoint and meta record kept, and every
// query answering byte for byte as before. The old file is made by applying
// the old migrations alone and copying into it, row for row, a history this
// build wrote; the answers compared are those of that history.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { EXIT } from '../../src/cli/exit-codes.js';
import { closeDatabase } from '../../src/store/history-facts.js';
import { writeMeta } from '../../src/store/meta.js';
import { openDatabase } from '../../src/store/open-database.js';
import { randomHistory, writeHistory } from '../support/random-history.js';
import { treesnap } from '../support/treesnap-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'treesnap-cluster-migration-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const current = join(dir, 'current.db');
const old = join(dir, 'old.db');

/** migrations/ as it was before clusters: 0000-0003 and their journal entries. */
function oldMigrations(): string {
  const folder = join(dir, 'migrations-old');
  mkdirSync(join(folder, 'meta'), { recursive: true });
  const journal = JSON.parse(readFileSync('migrations/meta/_journal.json', 'utf8')) as { entries: { tag: string }[] };
  journal.entries = journal.entries.slice(0, 4);
  assert.deepEqual(journal.entries.map((e) => e.tag), ['0000_initial', '0001_state_checkpoints', '0002_checkpoints_deflated', '0003_keys_without_entity_index']);
  writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify(journal));
  for (const e of journal.entries) copyFileSync(join('migrations', `${e.tag}.sql`), join(folder, `${e.tag}.sql`));
  return folder;
}

const COPY = [
  'INSERT INTO snapshots SELECT id, started_at, finished_at, failed_sources FROM f.snapshots ORDER BY id',
  'INSERT INTO snapshot_sources SELECT snapshot_id, source, ok, error_kind, error_message, duration_ms, endpoint, stats FROM f.snapshot_sources',
  'INSERT INTO fact_keys SELECT id, source, kind, entity FROM f.fact_keys ORDER BY id',
  'INSERT INTO fact_versions (key_id, from_snapshot, value, source) SELECT key_id, from_snapshot, value, source FROM f.fact_versions',
  'INSERT INTO state_checkpoints SELECT source, snapshot_id, facts, state, summary FROM f.state_checkpoints',
  'INSERT INTO meta SELECT key, value FROM f.meta',
];

const TABLES = ['snapshots', 'snapshot_sources', 'fact_keys', 'fact_versions', 'state_checkpoints', 'meta'];

function rowCounts(path: string): number[] {
  const c = new Database(path, { readonly: true });
  try {
    return TABLES.map((t) => (c.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n);
  } finally {
    c.close();
  }
}

const QUERIES = [
  ['snapshots', '--limit', '0'], ['snapshots', '--limit', '0', '--json'],
  ['show'], ['show', '--json', '--all'], ['show', '7', '--json'], ['show', 'latest~40'],
  ['diff', '1', 'latest'], ['diff', '3', '250', '--json'],
  ['history', 'h3'], ['history', 'h7', '--json'],
  ['timeline', '--since', '2023-11-14T00:00:00Z', '--until', '2023-11-16T00:00:00Z', '--json'], ['missing', '--json'], ['drift', '--json'],
];

const answers = new Map<string, string>();

before(async () => {
  const db = openDatabase(current);
  // Enough versions that every source has checkpoints past the first snapshot.
  writeHistory(db, randomHistory(18, 600, 40));
  writeMeta(db, 'test.record', '{"through":600}');
  closeDatabase(db);
  for (const args of QUERIES) {
    const r = await treesnap([...args, '--db', current]);
    // drift exits 3 when it finds drift, which a random history has.
    assert.ok(r.code === EXIT.OK || (args[0] === 'drift' && r.code === EXIT.DRIFT), `${args.join(' ')}: ${r.stderr}`);
    answers.set(args.join(' '), `exit ${r.code}\n${r.stdout}`);
  }
  const c = new Database(old);
  migrate(drizzle(c), { migrationsFolder: oldMigrations() });
  c.prepare('ATTACH DATABASE ? AS f').run(current);
  c.transaction(() => COPY.forEach((sql) => c.exec(sql)))();
  c.exec('DETACH DATABASE f');
  c.close();
});

test('the old file holds the same rows, checkpoints among them; a read-only query asks for an upgrade first', async () => {
  const counts = rowCounts(old);
  assert.deepEqual(counts, rowCounts(current));
  assert.ok(counts[4]! > 3, `checkpoints: ${counts[4]}`);
  const r = await treesnap(['snapshots', '--db', old]);
  assert.equal(r.code, EXIT.DATABASE);
  assert.match(r.stderr, /written by an older treesnap/);
});

test('opened for writing, it becomes cluster default with every row kept', () => {
  closeDatabase(openDatabase(old));
  assert.deepEqual(rowCounts(old), rowCounts(current));
  const c = new Database(old, { readonly: true });
  assert.deepEqual(c.prepare('SELECT id, name FROM clusters').all(), [{ id: 1, name: 'default' }]);
  for (const t of TABLES) assert.equal((c.prepare(`SELECT count(*) AS n FROM ${t} WHERE cluster <> 1`).get() as { n: number }).n, 0, t);
  assert.equal((c.prepare('PRAGMA foreign_key_check').all() as unknown[]).length, 0);
  c.close();
});

for (const args of QUERIES) {
  test(`treesnap ${args.join(' ')}: byte for byte as before the migration`, async () => {
    const r = await treesnap([...args, '--db', old]);
    assert.equal(r.stderr, '');
    assert.equal(`exit ${r.code}\n${r.stdout}`, answers.get(args.join(' ')));
  });
}

test('the next snapshot of the migrated history is #601, and clusters lists it', async () => {
  const db = openDatabase(old);
  assert.deepEqual(writeHistory(db, randomHistory(19, 1, 40), 600), [601]);
  closeDatabase(db);
  const r = await treesnap(['clusters', '--json', '--db', old]);
  const listed = JSON.parse(r.stdout) as { clusters: { name: string; firstSnapshotId: number; lastSnapshotId: number }[] };
  assert.deepEqual(listed.clusters.map((c) => [c.name, c.firstSnapshotId, c.lastSnapshotId]), [['default', 1, 601]]);
});
