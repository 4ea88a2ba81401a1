// Writers of one PostgreSQL history follow each other (the write lock in
// src/store/postgres/pg-db.ts), as SQLite's BEGIN IMMEDIATE makes them: two
// processes' worth of stores recording at once lose nothing, number snapshots
// without gaps, and each plans against the head the other left. A write the
// server cancels is one line, exit 6, and leaves nothing behind.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { exitCodeFor, EXIT } from '../../src/cli/exit-codes.js';
import { DatabaseError } from '../../src/errors.js';
import { SOURCES } from '../../src/snapshot/source-name.js';
import { openHistoryStore, type HistoryStore } from '../../src/store/history-store.js';
import { openPgHistoryStore } from '../../src/store/postgres/pg-history-store.js';
import { closePgDatabase, openPgDatabase } from '../../src/store/postgres/open-pg.js';
import { pgWrite } from '../../src/store/postgres/pg-db.js';
import { observation } from '../support/observation.js';
import { freshDatabase } from '../support/postgres.js';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function fresh(): Promise<string> {
  const database = await freshDatabase('writers');
  cleanups.push(database.drop);
  return database.url;
}

async function store(url: string): Promise<HistoryStore> {
  const s = await openHistoryStore(url);
  cleanups.push(() => s.close());
  return s;
}

describe('writers of one PostgreSQL history', () => {
  test('two stores recording at once: every snapshot kept, ids without gaps, new keys added once', async () => {
    const url = await fresh();
    const [a, b] = [await store(url), await store(url)];
    // Every collection names hosts never seen before, so both writers add the same new keys at once.
    const writes = Array.from({ length: 16 }, (_, i) =>
      (i % 2 ? a : b).writeSnapshot(observation({ leaves: { L1: ['h1', `new-${i >> 1}`] }, at: 1_700_000_000_000 + i })),
    );
    const results = await Promise.all(writes);
    assert.deepEqual(results.map((r) => r.snapshotId).sort((x, y) => x - y), Array.from({ length: 16 }, (_, i) => i + 1));
    assert.equal((await a.listSnapshots()).length, 16);
  });

  test("clusters write side by side: a writer of one cluster mid-transaction holds up no other cluster's write", async () => {
    const url = await fresh();
    const west = await openHistoryStore(url, { cluster: 'west' });
    cleanups.push(() => west.close());
    await west.writeSnapshot(observation({ leaves: { L1: ['h1'] }, at: 1_700_000_000_000 }));
    // A writer of east inside its write transaction (the store's own pgWrite, so its own lock), until released.
    const east = await openPgDatabase(url, { cluster: 'east' });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inside!: () => void;
    const entered = new Promise<void>((r) => (inside = r));
    const eastWrite = pgWrite(east, async () => {
      inside();
      await held;
    });
    await entered;
    try {
      // Bounded only so that a failure is a failure, not a hang: with one lock for all clusters west would wait for east.
      const west2 = await Promise.race([
        west.writeSnapshot(observation({ leaves: { L1: ['h1', 'h2'] }, at: 1_700_000_060_000 })),
        new Promise<'blocked'>((r) => setTimeout(() => r('blocked'), 20_000).unref()),
      ]);
      assert.notEqual(west2, 'blocked', "west's write waited for east's writer");
      assert.equal(west2 !== 'blocked' && west2.snapshotId, 2);
    } finally {
      release();
      await eastWrite;
      await closePgDatabase(east);
    }
  });

  test('a write the server cancels (statement timeout) is a database error and writes nothing', async () => {
    const url = await fresh();
    const s = await store(url);
    await s.writeSnapshot(observation({ leaves: { L1: ['h1'] } }));
    const before = await s.readSourceState('status', 1);
    const slow = await openPgHistoryStore(url, { statementTimeoutMs: 1 });
    cleanups.push(() => slow.close());
    // Enough versions that inserting them outlasts 1 ms.
    const writes = Array.from({ length: 20_000 }, (_, i) => ({ source: 'status' as const, kind: 'status' as const, entity: `h${i}`, value: '{"status":"ONLINE"}' }));
    const err = await slow
      .writeSnapshotDelta({ startedAt: 1, finishedAt: 2, outcomes: SOURCES.map((source) => ({ source, ok: true as const, durationMs: 1 })), writes })
      .then(() => assert.fail('the write finished within 1 ms'), (e: unknown) => e);
    assert.ok(err instanceof DatabaseError, String(err));
    assert.equal(exitCodeFor(err), EXIT.DATABASE);
    assert.match(err.message, /^cannot record the snapshot: a statement ran past the statement timeout and was cancelled; nothing was written$/);
    assert.deepEqual((await s.listSnapshots()).map((r) => r.id), [1]);
    assert.deepEqual(await s.readSourceState('status', Number.MAX_SAFE_INTEGER), before, 'none of the cancelled versions');
  });
});
