// The history file under real file-system faults: a read-only file system, a
// full disk, a database written by a newer treesnap, a damaged checkpoint. Each is a one-line
// error with exit 6, and nothing already recorded is lost or changed. (Locked
// by another writer: test/integration/daemon-two-writers.test.ts; not a
// database: test/integration/cli-errors.test.ts.)
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { CollectionSummary } from '../../src/collect/collection-summary.js';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { openDatabase } from '../../src/store/open-database.js';
import { mapPool } from '../../src/util/map-pool.js';
import { scratchDir } from '../support/fs-faults.js';
import { randomHistory, writeHistory } from '../support/random-history.js';
import { snapshotDigest } from '../support/snapshot-digest.js';
import { assertOneLineError, treesnap } from '../support/treesnap-cli.js';
import { freshChroot } from '../support/zookeeper.js';

const HOSTS = 200;
const DEAD_ZK = ['--zk', '127.0.0.1:1', '--connect-timeout', '200ms'];

let sim: SimulatedCluster;
let zk: string;
before(async () => {
  ({ connectString: zk } = await freshChroot('dbfault'));
  sim = await startSimulatedCluster({ zk, hosts: HOSTS, fanout: 16 });
});
after(async () => {
  await sim?.stop({ clean: true });
});

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

interface Inspection {
  integrity: string;
  snapshots: number[];
  versions: number;
  digests: Map<number, string>;
}

function inspect(path: string): Inspection {
  const db = openDatabase(path, { readonly: true });
  try {
    const snapshots = db.$client.prepare('SELECT id FROM snapshots ORDER BY id').pluck().all() as number[];
    return {
      integrity: db.$client.pragma('integrity_check', { simple: true }) as string,
      snapshots,
      versions: db.$client.prepare('SELECT count(*) FROM fact_versions').pluck().get() as number,
      digests: new Map(snapshots.map((id) => [id, snapshotDigest(db, id)])),
    };
  } finally {
    db.$client.close();
  }
}

/** Besides the database, at most what a reader leaves (SQLite's -shm index and an empty -wal): nothing half-written. */
function assertNoJournalContent(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (name === 'history.db' || name === 'history.db-shm') continue;
    assert.equal(name, 'history.db-wal', `unexpected file ${name}`);
    assert.equal(statSync(join(dir, name)).size, 0, 'the WAL holds nothing');
  }
}

async function collectOk(db: string): Promise<CollectionSummary> {
  const r = await treesnap(['collect', '--zk', zk, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as CollectionSummary;
}

test('a read-only file system: collect fails with exit 6 and one line, the file is untouched; writable again, it records', async (t) => {
  const fs = scratchDir(8 * 2 ** 20);
  try {
    t.diagnostic(`read-only by: ${fs.mechanism}`);
    const db = join(fs.dir, 'history.db');
    await collectOk(db);
    const earlier = inspect(db);
    const bytes = sha256(db);
    fs.readOnly();

    const r = await treesnap(['collect', '--zk', zk, '--db', db]);
    // Refused at open (the journal cannot be created) or at the write, by the same rule: exit 6, one line.
    assertOneLineError(r, 6, /database .*history\.db|cannot record the snapshot: attempt to write a readonly database .*nothing was written/);
    // Reads either work or fail the same clean way (WAL needs its -shm file: see docs/faults.md); they never write.
    for (const args of [['show'], ['snapshots'], ['drift']]) {
      const read = await treesnap([...args, '--db', db]);
      if (read.code !== 0 && read.code !== 3) assertOneLineError(read, 6, /database/, args[0]);
    }
    assert.equal(sha256(db), bytes, 'not a byte changed');
    assertNoJournalContent(fs.dir);

    fs.readWrite();
    const again = await collectOk(db);
    assert.equal(again.snapshotId, 2);
    const later = inspect(db);
    assert.equal(later.integrity, 'ok');
    assert.equal(later.digests.get(1), earlier.digests.get(1));
  } finally {
    fs.dispose();
  }
});

// ENOSPC reads as SQLITE_FULL, EFBIG as an I/O error; either way the transaction rolled back.
const NO_SPACE = [
  { fault: 'a full disk', mount: true, why: 'database or disk is full' },
  { fault: 'a file-size limit (EFBIG)', mount: false, why: 'disk I/O error' },
] as const;
for (const { fault, mount, why } of NO_SPACE) {
  test(`${fault}: collect fails with exit 6, no partial snapshot, earlier ones intact; with room again it records`, async (t) => {
    const fs = scratchDir(2 * 2 ** 20, { mount });
    try {
      t.diagnostic(`no space by: ${fs.mechanism}`);
      const db = join(fs.dir, 'history.db');
      assert.equal((await treesnap(['collect', ...DEAD_ZK, '--db', db])).code, 5, 'an earlier snapshot (nothing readable)');
      const earlier = inspect(db);
      // Room to open the file (its -shm and a little WAL), not to write a first full snapshot of 200 hosts.
      const room = 100 * 1024;
      // The full disk is a filled tmpfs, never the file-size limit (fill() throws where it cannot mount).
      if (mount) fs.fill(room);
      const r = await treesnap(['collect', '--zk', zk, '--db', db], { wrap: (c) => fs.spaceLimited(c, statSync(db).size + room) });
      assertOneLineError(r, 6, new RegExp(`^treesnap: cannot record the snapshot: ${why}.*; nothing was written$`));
      fs.unfill();

      const later = inspect(db);
      assert.equal(later.integrity, 'ok');
      assert.deepEqual(later.snapshots, earlier.snapshots, 'no snapshot row, complete or partial');
      assert.equal(later.versions, earlier.versions, 'no fact row');
      assert.deepEqual(later.digests, earlier.digests);

      const again = await collectOk(db);
      assert.equal(again.snapshotId, 2);
      assert.deepEqual(again.failedSources, []);
      assert.equal(again.sources.find((s) => s.source === 'zk.hosts')!.count, HOSTS);
      assert.equal(inspect(db).integrity, 'ok');
    } finally {
      fs.dispose();
    }
  });
}

test('a database from a newer schema version: every command refuses with exit 6; the file is unchanged byte for byte', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'treesnap-newer-'));
  try {
    const db = join(dir, 'history.db');
    assert.equal((await treesnap(['collect', ...DEAD_ZK, '--db', db])).code, 5);
    const c = new Database(db);
    c.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('from-a-newer-treesnap', Date.now() + 365 * 86_400_000);
    c.close();
    const bytes = sha256(db);
    const commands: string[][] = [
      ['collect', ...DEAD_ZK],
      ['run', ...DEAD_ZK, '--cron', '* * * * * *'],
      ['prune', '--older-than', '1d'],
      ['show'],
      ['snapshots'],
      ['diff', '1', 'latest'],
      ['drift'],
      ['missing'],
      ['history', 'h1'],
      ['timeline', '--since', '1d ago'],
      ['report', '--since', '1d ago'],
    ];
    await mapPool(commands, 4, async (args) => {
      const r = await treesnap([...args, '--db', db], { timeoutMs: 60_000 });
      assertOneLineError(r, 6, /database schema is newer than this treesnap understands.*upgrade treesnap/, args[0]);
    });
    assert.equal(sha256(db), bytes, 'not a byte changed');
    assertNoJournalContent(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a damaged state checkpoint: every query that reads it exits 6 with one line; the file is unchanged byte for byte', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'treesnap-damaged-'));
  try {
    const path = join(dir, 'history.db');
    const db = openDatabase(path);
    writeHistory(db, randomHistory(3, 800, 50));
    const damaged = db.$client.prepare("UPDATE state_checkpoints SET state = '[not json', summary = '{\"status\":[1]}' WHERE source = 'status'").run().changes;
    assert.ok(damaged > 0, 'the history has status checkpoints');
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
    db.$client.close();
    const bytes = sha256(path);
    for (const args of [['show', 'latest'], ['show', 'latest', '--json'], ['drift', 'latest'], ['diff', '1', 'latest']]) {
      const r = await treesnap([...args, '--db', path]);
      assertOneLineError(r, 6, /damaged database: the status checkpoint at snapshot #\d+ is unreadable/, args.join(' '));
    }
    assert.equal(sha256(path), bytes, 'not a byte changed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
