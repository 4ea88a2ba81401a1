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
import type { Observation } from '../../../src/model/observation.js';
import { shareUnchanged } from '../../../src/daemon/share-unchanged.js';
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

/** The rows of `observations` written each on a fresh connection to one file. */
function writtenFresh(observations: Observation[]): unknown[] {
  return withFile((path) => {
    for (const o of observations) {
      const db = openDatabase(path);
      writeSnapshot(db, o);
      closeDatabase(db);
    }
    const db = openDatabase(path);
    const r = rows(db);
    closeDatabase(db);
    return r;
  });
}

test('writes on one connection equal writes each on a fresh connection', () => {
  const specs = [a, b, b, c, a, a, b];
  const kept = openDatabase(':memory:');
  for (const s of specs) writeSnapshot(kept, observation(s));
  assert.deepEqual(rows(kept), writtenFresh(specs.map(observation)));
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

// The daemon hands the very reading of the tick before for a source that did not change
// (src/daemon/share-unchanged.ts); the head then skips planning it (HeadState.holds).
function shared(specs: ClusterSpec[]): Observation[] {
  const out: Observation[] = [];
  for (const s of specs) out.push(shareUnchanged(out.at(-1), observation(s)));
  return out;
}

function statusRows(db: Db, host: string): unknown[] {
  return db.$client
    .prepare("SELECT v.from_snapshot, v.value IS NULL AS gone FROM fact_versions v JOIN fact_keys k ON k.id = v.key_id WHERE k.kind = 'status' AND k.entity = ? ORDER BY 1")
    .all(host);
}

test('readings handed again as the same objects are written as a fresh connection writes them', () => {
  const kept = openDatabase(':memory:');
  const observations = shared([a, a, b, b, c, c, a]);
  for (const o of observations) writeSnapshot(kept, o);
  assert.deepEqual(rows(kept), writtenFresh(observations));
});

test('a fact kept unseen is planned again when the same reading comes back: its keep rule may have changed', () => {
  // h2 is not probed at 2 and /hosts is unreadable, so its status is kept; at 3 the same status
  // reading (shared, the very object) comes with /hosts read: h2's status is closed.
  const noH2: ClusterSpec = { leaves: { L1: ['h1'] } };
  const observations = shared([{ leaves: { L1: ['h1', 'h2'] } }, { ...noH2, failed: { hosts: { kind: 'timeout', message: 't' } } }, noH2]);
  assert.equal(observations[2]!.status.result, observations[1]!.status.result, 'the status reading is handed again');
  const db = openDatabase(':memory:');
  for (const o of observations) writeSnapshot(db, o);
  assert.deepEqual(statusRows(db, 'h2'), [
    { from_snapshot: 1, gone: 0 },
    { from_snapshot: 3, gone: 1 },
  ]);
});

test('a reading handed again after another connection wrote is planned against the file', () => {
  withFile((path) => {
    const daemon = openDatabase(path);
    const other = openDatabase(path);
    const [oa] = shared([a]);
    writeSnapshot(daemon, oa!);
    writeSnapshot(other, observation(b));
    const back = writeSnapshot(daemon, oa!);
    assert.ok(back.changes['zk.roles']! > 0, 'the move back to the first tree is recorded');
    closeDatabase(other);
    closeDatabase(daemon);
  });
});
