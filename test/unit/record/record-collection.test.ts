// The record stage advancing from what it just wrote (no read-back) records
// exactly what a replay from the store records, and its head drift is the
// drift a live check of the stored snapshot finds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadClusterFacts, loadKnowledge } from '../../../src/query/load-cluster-facts.js';
import { computeDrift } from '../../../src/query/drift.js';
import { recordCollection, recordDrift, recordedHead, recordedThrough } from '../../../src/record/index.js';
import { openDatabase, type Db } from '../../../src/store/open-database.js';
import { writeSnapshot } from '../../../src/store/write-snapshot.js';
import { observation, type ClusterSpec } from '../../support/observation.js';
import { codeOf } from '../../../src/store/source-codes.js';

const AT = 1_800_000_000_000;

/** A cluster drifting a little each step: moves, chairman lag, missing and offline hosts, an outage. */
function step(i: number): ClusterSpec {
  const hosts = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];
  const moved = i % 4 === 1 ? 'h3' : null;
  const leaves: Record<string, string[]> = { L1: hosts.slice(0, 3).filter((h) => h !== moved), L2: hosts.slice(3) };
  if (moved) leaves.L2 = [...leaves.L2!, moved];
  const spec: ClusterSpec = { leaves, at: AT + i * 60_000 };
  if (i % 3 === 2) spec.chairmanLeaves = { L1: ['h1', 'h2', 'h3'], L2: ['h4', 'h5', 'h6'], L3: ['h7'] };
  if (i % 5 === 3) spec.missing = ['h2'];
  if (i % 2 === 1) spec.offline = ['h5'];
  if (i % 7 === 4) spec.failed = { root: { kind: 'unreachable', message: 'ECONNREFUSED' } };
  if (i % 6 === 5) spec.failed = { roles: { kind: 'timeout', message: 'timed out' } };
  return spec;
}

function dumpRecord(db: Db): unknown[] {
  return db.$client
    .prepare(`SELECT k.entity, v.from_snapshot, v.value FROM fact_versions v JOIN fact_keys k ON k.id = v.key_id WHERE v.source = ${codeOf("'drift'")} ORDER BY 2, 1`)
    .all();
}

test('recording each collection as written equals replaying the history from the store', () => {
  const stepwise = openDatabase(':memory:');
  const replayed = openDatabase(':memory:');
  for (let i = 0; i < 30; i++) {
    const obs = observation(step(i));
    const r = recordCollection(stepwise, obs);
    assert.ok(r.drift.ok, 'the drift is recorded');
    assert.equal(r.drift.value.snapshotId, r.written.snapshotId);
    const live = computeDrift(loadClusterFacts(stepwise, r.written.snapshotId), loadKnowledge(stepwise, r.written.snapshotId));
    assert.deepEqual(r.drift.value.drift, live, `snapshot #${r.written.snapshotId}: the head's drift is the live check's`);
    writeSnapshot(replayed, obs);
  }
  assert.equal(recordedThrough(stepwise), 30);
  assert.ok(recordDrift(replayed) > 0);
  assert.ok(dumpRecord(stepwise).length > 0, 'the history has drift');
  assert.deepEqual(dumpRecord(stepwise), dumpRecord(replayed));
});

test('the head on a fresh connection: none without snapshots, else the latest with its drift recorded', () => {
  const db = openDatabase(':memory:');
  const empty = recordedHead(db);
  assert.ok(empty.ok);
  assert.equal(empty.value, null);
  for (let i = 0; i < 4; i++) writeSnapshot(db, observation(step(i)));
  const head = recordedHead(db);
  assert.ok(head.ok && head.value);
  assert.equal(head.value.snapshotId, 4);
  assert.equal(recordedThrough(db), 4);
  assert.deepEqual(head.value.drift, computeDrift(loadClusterFacts(db, 4), loadKnowledge(db, 4)));
});
