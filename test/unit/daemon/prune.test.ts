import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { SOURCES } from '../../../src/snapshot/source-name.js';
import { openDatabase, type Db } from '../../../src/store/open-database.js';
import { pruneHistory } from '../../../src/store/prune.js';
import { readSourceState } from '../../../src/store/read-source-state.js';
import { sourceOutcomes } from '../../../src/store/snapshot-index.js';
import { writeSnapshot } from '../../../src/store/write-snapshot.js';
import { observation, type ClusterSpec } from '../../support/observation.js';

const T0 = 1_700_000_000_000;
const MIN = 60_000;

function record(db: Db, specs: ClusterSpec[]): number[] {
  return specs.map((spec, i) => writeSnapshot(db, observation({ ...spec, at: T0 + i * MIN })).snapshotId);
}

/** Everything a reader can see at a snapshot: every source's facts and outcomes. */
function stateAt(db: Db, id: number): unknown {
  const facts = SOURCES.map((s) => readSourceState(db, s, id).map((f) => `${f.kind}|${f.entity}|${f.value}`).sort());
  const outcomes = sourceOutcomes(db, id).sort((a, b) => a.source.localeCompare(b.source));
  return { facts, outcomes };
}

function snapshotIds(db: Db): number[] {
  return db.$client.prepare('SELECT id FROM snapshots ORDER BY id').pluck().all() as number[];
}

function count(db: Db, table: string): number {
  return db.$client.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}

test('a fact that spans the cutoff keeps its truth at the oldest kept snapshot', () => {
  const db = openDatabase(':memory:');
  const ids = record(db, [
    { leaves: { L1: ['h1', 'h2'], L2: ['h3'] } },
    { leaves: { L1: ['h1', 'h2'], L2: ['h3'] }, missing: ['h2'] },
    { leaves: { L1: ['h1', 'h2'], L2: ['h3'] }, failed: { hosts: { kind: 'timeout', message: 't' } } },
    { leaves: { L1: ['h1'], L2: ['h3', 'h2'] } },
  ]);
  const before = stateAt(db, ids[2]!);
  const r = pruneHistory(db, { before: T0 + 2 * MIN });
  assert.equal(r.oldestKept, ids[2]);
  assert.equal(r.snapshotsDeleted, 2);
  assert.ok(r.versionsCarried > 0);
  assert.deepEqual(snapshotIds(db), [ids[2], ids[3]]);
  assert.deepEqual(stateAt(db, ids[2]!), before, 'the oldest kept snapshot reads as before');
  // zk.hosts was unknown at the cutoff snapshot: its facts are still the last known ones.
  assert.deepEqual(readSourceState(db, 'zk.hosts', ids[2]!).map((f) => f.entity).sort(), ['h1', 'h2', 'h3']);
  assert.equal(db.$client.prepare('SELECT count(*) FROM fact_versions WHERE from_snapshot < ?').pluck().get(ids[2]), 0);
});

test('facts that ended before the cutoff are gone with their keys', () => {
  const db = openDatabase(':memory:');
  const ids = record(db, [
    { leaves: { L1: ['h1'], L2: ['h9'] } },
    { leaves: { L1: ['h1'] } },
    { leaves: { L1: ['h1'] } },
  ]);
  const keysBefore = count(db, 'fact_keys');
  const r = pruneHistory(db, { before: T0 + 2 * MIN });
  assert.equal(r.oldestKept, ids[2]);
  assert.ok(r.keysDeleted > 0);
  assert.equal(count(db, 'fact_keys'), keysBefore - r.keysDeleted);
  const entities = db.$client.prepare("SELECT count(*) FROM fact_keys WHERE entity = 'h9'").pluck().get();
  assert.equal(entities, 0, 'h9 left before the horizon: nothing of it remains');
});

test('the newest snapshot is always kept; nothing to prune is a no-op', () => {
  const db = openDatabase(':memory:');
  const ids = record(db, [{ leaves: { L1: ['h1'] } }, { leaves: { L1: ['h1', 'h2'] } }]);
  const latest = stateAt(db, ids[1]!);
  const r = pruneHistory(db, { before: T0 + 365 * 24 * 60 * MIN });
  assert.deepEqual(snapshotIds(db), [ids[1]]);
  assert.equal(r.oldestKept, ids[1]);
  assert.deepEqual(stateAt(db, ids[1]!), latest);
  const again = pruneHistory(db, { before: T0 + 365 * 24 * 60 * MIN });
  assert.deepEqual(
    { s: again.snapshotsDeleted, v: again.versionsDeleted, c: again.versionsCarried, k: again.keysDeleted },
    { s: 0, v: 0, c: 0, k: 0 },
  );
  const empty = pruneHistory(openDatabase(':memory:'), { before: T0 });
  assert.equal(empty.oldestKept, null);
});

test('writing after a prune continues the history correctly', () => {
  const db = openDatabase(':memory:');
  record(db, [{ leaves: { L1: ['h1', 'h2'] } }, { leaves: { L1: ['h1', 'h2'] } }, { leaves: { L1: ['h1', 'h2'] } }]);
  pruneHistory(db, { before: T0 + 2 * MIN });
  const next = writeSnapshot(db, observation({ leaves: { L1: ['h1'] }, at: T0 + 3 * MIN }));
  assert.equal(next.changes['zk.hosts'], 1, 'only h2 leaving is a change');
  assert.deepEqual(readSourceState(db, 'zk.hosts', next.snapshotId).map((f) => f.entity), ['h1']);
});

// Random histories: hosts come and go, move, go missing or offline, sources fail.
const HOSTS = ['h1', 'h2', 'h3', 'h4', 'h5'];
const FAILABLE = ['services', 'roles', 'hosts', 'missing', 'chairman', 'root', 'status'] as const;
const specArb: fc.Arbitrary<ClusterSpec> = fc
  .record({
    present: fc.subarray(HOSTS, { minLength: 1 }),
    split: fc.nat(5),
    missing: fc.subarray(HOSTS),
    offline: fc.subarray(HOSTS),
    failed: fc.subarray([...FAILABLE], { maxLength: 3 }),
  })
  .map(({ present, split, missing, offline, failed }) => {
    const cut = Math.min(split, present.length - 1);
    const leaves: Record<string, string[]> = { L1: present.slice(0, Math.max(1, cut)) };
    if (present.length > Math.max(1, cut)) leaves.L2 = present.slice(Math.max(1, cut));
    return {
      leaves,
      missing,
      offline: offline.filter((h) => present.includes(h)),
      failed: Object.fromEntries(failed.map((f) => [f, { kind: 'timeout' as const, message: 'random failure' }])),
    };
  });

test('property: every kept snapshot reads exactly as before; a dry run predicts the prune', () => {
  fc.assert(
    fc.property(fc.array(specArb, { minLength: 1, maxLength: 12 }), fc.nat(14), (specs, cutAt) => {
      const db = openDatabase(':memory:');
      const ids = record(db, specs);
      const before = new Map(ids.map((id) => [id, stateAt(db, id)]));
      const horizon = T0 + cutAt * MIN;
      const dry = pruneHistory(db, { before: horizon, dryRun: true });
      assert.equal(count(db, 'snapshots'), ids.length, 'a dry run changes nothing');
      const real = pruneHistory(db, { before: horizon });
      assert.deepEqual({ ...dry, dryRun: false, bytesFreed: 0 }, { ...real, bytesFreed: 0 });
      const kept = snapshotIds(db);
      assert.equal(kept[0], real.oldestKept);
      assert.equal(kept.length, ids.length - real.snapshotsDeleted);
      for (const id of kept) assert.deepEqual(stateAt(db, id), before.get(id), `snapshot #${id}`);
      assert.equal(db.$client.prepare('PRAGMA foreign_key_check').all().length, 0);
    }),
    { numRuns: 150 },
  );
});
