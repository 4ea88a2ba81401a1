// writeSnapshot plans against the head state it keeps between writes on one
// connection (src/store/head-state.ts): the rows must be those a fresh
// connection reading the file would write, whoever else wrote meanwhile.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { closeDatabase } from '../../../src/store/history-facts.js';
import { openDatabase, type Db } from '../../../src/store/open-database.js';
import { writeSnapshot } from '../../../src/store/write-snapshot.js';
import { withWriteTransaction } from '../../../src/store/write-transaction.js';
import { observation, type ClusterSpec } from '../../support/observation.js';

const a: ClusterSpec = { leaves: { L1: ['h1', 'h2'], L2: ['h3'] } };
const b: ClusterSpec = { leaves: { L1: ['h1'], L2: ['h3', 'h2'], L3: ['h4'] } };
const c: ClusterSpec = { leaves: { L1: ['h1', 'h4'] }, failed: { chairman: { kind: 'timeout', message: 't' } } };

function rows(db: Db): unknown[] {
  return db.$client
    .prepare('SELECT v.from_snapshot, k.source, k.kind, k.entity, v.value FROM fact_versions v JOIN fact_keys k ON k.id = v.key_id ORDER BY 1, 2, 3, 4')
    .all();
}

function withFile<T>(fn: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'treesnap-head-'));
  try {
    return fn(join(dir, 'h.db'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('writes on one connection equal writes each on a fresh connection', () => {
  const specs = [a, b, b, c, a, a, b];
  const kept = openDatabase(':memory:');
  for (const s of specs) writeSnapshot(kept, observation(s));
  const fresh = withFile((path) => {
    for (const s of specs) {
      const db = openDatabase(path);
      writeSnapshot(db, observation(s));
      closeDatabase(db);
    }
    const db = openDatabase(path);
    const r = rows(db);
    closeDatabase(db);
    return r;
  });
  assert.deepEqual(rows(kept), fresh);
});

test('a snapshot another connection wrote in between is planned against, not the kept head', () => {
  withFile((path) => {
    const daemon = openDatabase(path);
    const other = openDatabase(path);
    writeSnapshot(daemon, observation(a));
    writeSnapshot(other, observation(b));
    const back = writeSnapshot(daemon, observation(a));
    assert.ok(back.changes['zk.roles']! > 0, 'the move back to the first tree is recorded');
    closeDatabase(other);
    closeDatabase(daemon);
  });
});

test('a write inside a transaction that rolls back leaves no head behind', () => {
  const db = openDatabase(':memory:');
  writeSnapshot(db, observation(a));
  assert.throws(() =>
    withWriteTransaction(db, () => {
      writeSnapshot(db, observation(b));
      throw new Error('caller fails after the write');
    }),
  );
  const again = writeSnapshot(db, observation(b));
  assert.ok(again.changes['zk.roles']! > 0, 'the rolled-back change is written again');
});
