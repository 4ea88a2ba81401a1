// The outcome rows (snapshot_sources), keyed by (cluster, source, ok,
// snapshot_id) since migration 0007: every outcome read answers from them as
// from the rows written, on a file migrated from 0006 and on two clusters
// sharing a file; prune takes the pruned snapshots' rows with it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { OutcomeRow } from '../../../src/store/insert-snapshot-rows.js';
import { openDatabase, type Db } from '../../../src/store/open-database.js';
import { pruneHistory } from '../../../src/store/prune.js';
import { insertSnapshotAs } from '../../../src/store/salvage.js';
import { lastOkSnapshot, lastSourceEndpoint, sourceOutcomes } from '../../../src/store/snapshot-index.js';
import { marks } from '../../../src/store/snapshot-marks.js';
import { failuresInRange, firstOkAfter } from '../../../src/store/version-reads.js';
import { withWriteTransaction } from '../../../src/store/write-transaction.js';
import type { SourceName } from '../../../src/snapshot/source-name.js';
import { migrationsThrough } from '../../support/old-migrations.js';

const T0 = 1_700_000_000_000;
const startedAt = (id: number) => T0 + id * 60_000;

interface Written extends OutcomeRow {
  snapshot: number;
}

/**
 * A history with what the reads must get right: a source that fails for a
 * stretch (chairman, its address changing and missing while down), one added
 * later (agents), one that stops answering for good (status).
 */
function outcomesOf(n: number, sources: readonly SourceName[]): Written[] {
  const out: Written[] = [];
  for (let id = 1; id <= n; id++) {
    for (const source of sources) {
      if (source === 'agents' && id < n / 2) continue;
      const down = (source === 'chairman' && id % 7 >= 4) || (source === 'status' && id > n - 5) || (source === 'root' && id === 3);
      const endpoint = source === 'chairman' && !(down && id % 2 === 0) ? `10.0.0.${id < n / 3 ? 1 : 2}:13013` : source === 'root' ? '10.0.0.9:13021' : null;
      const stats = source === 'chairman' && id > n / 3 ? { address_from_snapshot: Math.floor(n / 3) } : { n: id % 3 };
      out.push({
        snapshot: id,
        source,
        ok: !down,
        errorKind: down ? 'timeout' : null,
        errorMessage: down ? `no answer in ${id} ms` : null,
        durationMs: id * 10 + source.length,
        endpoint,
        stats: JSON.stringify(stats),
      });
    }
  }
  return out;
}

/** What each read must answer, from the rows written (pure). */
function expected(rows: readonly Written[], n: number, sources: readonly SourceName[]) {
  const of = (s: SourceName) => rows.filter((r) => r.source === s);
  const okIds = (s: SourceName) => of(s).filter((r) => r.ok).map((r) => r.snapshot);
  return {
    outcomes: Array.from({ length: n }, (_, i) =>
      rows
        .filter((r) => r.snapshot === i + 1)
        .sort((a, b) => (a.source < b.source ? -1 : 1))
        .map(({ source, ok, errorKind, errorMessage, durationMs, endpoint, stats }) => ({ source, ok, errorKind, errorMessage, durationMs, endpoint, stats: JSON.parse(stats) as unknown })),
    ),
    lastOk: sources.map((s) => Array.from({ length: n }, (_, i) => Math.max(...okIds(s).filter((id) => id <= i + 1), -1))),
    previousOk: sources.map((s) => Array.from({ length: n }, (_, i) => Math.max(...okIds(s).filter((id) => id < i + 1), -1))),
    firstOkAfter: sources.map((s) => Array.from({ length: n }, (_, i) => Math.min(...okIds(s).filter((id) => id > i + 1), Infinity))),
    failures: rows.filter((r) => !r.ok && r.snapshot >= 5 && r.snapshot <= n - 2).map((r) => [r.snapshot, r.source, r.errorKind, r.errorMessage]),
    endpoint: sources.map((s) => {
      const last = of(s).filter((r) => r.endpoint !== null).at(-1);
      if (!last) return null;
      const from = (JSON.parse(last.stats) as { address_from_snapshot?: number }).address_from_snapshot;
      return { endpoint: last.endpoint, snapshotId: from ?? last.snapshot };
    }),
  };
}

/** The same questions, asked through the store's reads. */
function answered(db: Db, n: number, sources: readonly SourceName[]): ReturnType<typeof expected> {
  const m = marks(db);
  return {
    outcomes: Array.from({ length: n }, (_, i) => sourceOutcomes(db, i + 1).map((o) => ({ ...o }))),
    lastOk: sources.map((s) => Array.from({ length: n }, (_, i) => lastOkSnapshot(db, s, i + 1) ?? -1)),
    previousOk: sources.map((s) => Array.from({ length: n }, (_, i) => m.previousOk(s, i + 1)?.id ?? -1)),
    firstOkAfter: sources.map((s) => Array.from({ length: n }, (_, i) => firstOkAfter(db, s, i + 1) ?? Infinity)),
    failures: failuresInRange(db, 5, n - 2, sources).map((f) => [f.snapshot, f.source, f.errorKind, f.errorMessage]),
    endpoint: sources.map((s) => lastSourceEndpoint(db, s)),
  };
}

function failuresOrdered(x: ReturnType<typeof expected>): ReturnType<typeof expected> {
  // failuresInRange orders by snapshot only; within one snapshot, by source here.
  return { ...x, failures: [...x.failures].sort((a, b) => (a[0] as number) - (b[0] as number) || String(a[1]).localeCompare(String(b[1]))) };
}

function withDir(run: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'treesnap-outcomes-'));
  try {
    run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SOURCES: SourceName[] = ['agents', 'chairman', 'root', 'status', 'zk.hosts'];
const N = 40;

test('a file written keyed by snapshot (0006) is migrated in place: every outcome read answers as written, and the old pages go back', async () => {
  const { drizzle } = await import('drizzle-orm/better-sqlite3');
  const { migrate } = await import('drizzle-orm/better-sqlite3/migrator');
  withDir((dir) => {
    const path = join(dir, 'old.db');
    const old = new Database(path);
    old.pragma('auto_vacuum = INCREMENTAL');
    migrate(drizzle(old), { migrationsFolder: migrationsThrough(dir, 6) });
    assert.equal(old.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'snapshot_sources_source_idx'").pluck().get(), 1, 'the old layout');
    const rows = outcomesOf(N, SOURCES);
    const snapshot = old.prepare('INSERT INTO snapshots (cluster, id, started_at, finished_at, failed_sources) VALUES (1, ?, ?, ?, 0)');
    const outcome = old.prepare(`INSERT INTO snapshot_sources (cluster, snapshot_id, source, ok, error_kind, error_message, duration_ms, endpoint, stats)
      VALUES (1, @snapshot, @source, @ok, @errorKind, @errorMessage, @durationMs, @endpoint, @stats)`);
    for (let id = 1; id <= N; id++) snapshot.run(id, startedAt(id), startedAt(id) + 500);
    for (const r of rows) outcome.run({ ...r, ok: r.ok ? 1 : 0 });
    old.close();

    const db = openDatabase(path);
    try {
      const c = db.$client;
      assert.equal(c.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'snapshot_sources_source_idx'").pluck().get(), 0, 'the index is gone');
      assert.equal(c.prepare('SELECT count(*) FROM snapshot_sources').pluck().get(), rows.length);
      assert.equal(c.pragma('freelist_count', { simple: true }), 0, 'the old table\'s pages went back to the file system');
      assert.deepEqual(failuresOrdered(answered(db, N, SOURCES)), failuresOrdered(expected(rows, N, SOURCES)));
    } finally {
      db.$client.close();
    }
  });
});

test('two clusters in one file: each reads its own outcomes; a prune takes only its own pruned snapshots\' rows', () => {
  withDir((dir) => {
    const path = join(dir, 'two.db');
    const histories = { a: outcomesOf(N, SOURCES), b: outcomesOf(N / 2, ['root', 'zk.hosts']) };
    for (const [name, rows] of Object.entries(histories)) {
      const db = openDatabase(path, { cluster: name });
      const n = Math.max(...rows.map((r) => r.snapshot));
      withWriteTransaction(db, () => {
        for (let id = 1; id <= n; id++) {
          const mine = rows.filter((r) => r.snapshot === id);
          insertSnapshotAs(db, { id, startedAt: startedAt(id), finishedAt: startedAt(id) + 500, failedSources: mine.filter((r) => !r.ok).length }, mine, []);
        }
      });
      db.$client.close();
    }
    const a = openDatabase(path, { cluster: 'a' });
    const b = openDatabase(path, { cluster: 'b' });
    try {
      assert.deepEqual(failuresOrdered(answered(a, N, SOURCES)), failuresOrdered(expected(histories.a, N, SOURCES)));
      assert.deepEqual(failuresOrdered(answered(b, N / 2, ['root', 'zk.hosts'])), failuresOrdered(expected(histories.b, N / 2, ['root', 'zk.hosts'])));

      const result = pruneHistory(a, { before: startedAt(11) });
      assert.equal(result.snapshotsDeleted, 10);
      for (let id = 1; id <= 10; id++) assert.deepEqual(sourceOutcomes(a, id), [], `a #${id} pruned`);
      assert.deepEqual(sourceOutcomes(a, 11), expected(histories.a, N, SOURCES).outcomes[10]);
      assert.equal(a.$client.prepare('SELECT count(*) FROM snapshot_sources WHERE snapshot_id <= 10 AND cluster = (SELECT id FROM clusters WHERE name = ?)').pluck().get('a'), 0);
      assert.deepEqual(failuresOrdered(answered(b, N / 2, ['root', 'zk.hosts'])), failuresOrdered(expected(histories.b, N / 2, ['root', 'zk.hosts'])), 'b as before');
    } finally {
      a.$client.close();
      b.$client.close();
    }
  });
});
