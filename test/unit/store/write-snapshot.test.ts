import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDatabase } from '../../../src/store/open-database.js';
import { readSourceState } from '../../../src/store/read-source-state.js';
import { sourceOutcomes } from '../../../src/store/snapshot-index.js';
import { PACKED_KINDS, packStats } from '../../../src/store/value-codec.js';
import { writeSnapshot } from '../../../src/store/write-snapshot.js';
import { observation, type ClusterSpec } from '../../support/observation.js';
import { SOURCES } from '../../../src/snapshot/source-name.js';
import { codeOf } from '../../../src/store/source-codes.js';

const base: ClusterSpec = { leaves: { L1: ['h1', 'h2'], L2: ['h3'] } };
/** With what two agents said: one holding its leaf, one that did not answer. */
const withAgents: ClusterSpec = {
  ...base,
  agents: [
    { host: 'h1', state: 'role', leafId: 'L1', parentId: 'ROOT', hostIds: ['h1', 'h2'] },
    { host: 'h3', state: 'unknown', error: { kind: 'timeout', message: 'no reply' } },
  ],
};

function versionCount(db: ReturnType<typeof openDatabase>): number {
  return (db.$client.prepare('SELECT count(*) AS n FROM fact_versions').get() as { n: number }).n;
}

test('an unchanged second collection writes no fact versions', () => {
  const db = openDatabase(':memory:');
  const first = writeSnapshot(db, observation(withAgents));
  const before = versionCount(db);
  assert.ok(before > 0);
  const second = writeSnapshot(db, observation(withAgents));
  assert.equal(versionCount(db), before);
  assert.equal(second.snapshotId, first.snapshotId + 1);
  assert.deepEqual(Object.values(second.changes), SOURCES.map(() => 0));
});

test('a host moving between leaves changes only its own placement', () => {
  const db = openDatabase(':memory:');
  writeSnapshot(db, observation(base));
  const moved = writeSnapshot(db, observation({ leaves: { L1: ['h1'], L2: ['h3', 'h2'] } }));
  assert.equal(moved.changes['zk.roles'], 1);
  assert.equal(moved.changes['chairman'], 1);
  assert.equal(moved.changes['zk.hosts'], 0);
  const rows = db.$client
    .prepare('SELECT k.source, k.kind, k.entity FROM fact_versions v JOIN fact_keys k ON k.id = v.key_id WHERE v.from_snapshot = ? ORDER BY k.source')
    .all(moved.snapshotId);
  assert.deepEqual(rows, [
    { source: 'chairman', kind: 'placement', entity: 'h2' },
    { source: 'zk.roles', kind: 'placement', entity: 'h2' },
  ]);
});

test('a failed source is recorded as unknown and its facts stay as last known', () => {
  const db = openDatabase(':memory:');
  const first = writeSnapshot(db, observation(base));
  const down = writeSnapshot(db, observation({ ...base, failed: { chairman: { kind: 'unreachable', message: 'ECONNREFUSED' } } }));
  assert.deepEqual(down.failedSources, ['chairman']);
  const outcome = db.$client
    .prepare(`SELECT ok, error_kind FROM snapshot_sources WHERE snapshot_id = ? AND source = ${codeOf('?')}`)
    .get(down.snapshotId, 'chairman');
  assert.deepEqual(outcome, { ok: 0, error_kind: 'unreachable' });
  assert.deepEqual(
    readSourceState(db, 'chairman', down.snapshotId),
    readSourceState(db, 'chairman', first.snapshotId),
  );
  const back = writeSnapshot(db, observation(base));
  assert.equal(back.changes['chairman'], 0, 'recovery after a failure is not "everything came back"');
});

test('a status source with an unknown node universe keeps unprobed nodes', () => {
  const db = openDatabase(':memory:');
  writeSnapshot(db, observation(base));
  const obs = observation({ ...base, failed: { hosts: { kind: 'timeout', message: 't' } } });
  if (obs.status.result.ok) delete obs.status.result.value['h3'];
  const w = writeSnapshot(db, obs);
  assert.equal(w.changes['status'], 0);
  const ids = readSourceState(db, 'status', w.snapshotId).map((f) => f.entity).sort();
  assert.deepEqual(ids, ['ROOT', 'h1', 'h2', 'h3']);
});

test('a removed host is closed and reading an older snapshot still shows it', () => {
  const db = openDatabase(':memory:');
  const first = writeSnapshot(db, observation(base));
  const second = writeSnapshot(db, observation({ leaves: { L1: ['h1', 'h2'] } }));
  const now = readSourceState(db, 'zk.hosts', second.snapshotId).map((f) => f.entity);
  const then = readSourceState(db, 'zk.hosts', first.snapshotId).map((f) => f.entity);
  assert.deepEqual(now.sort(), ['h1', 'h2']);
  assert.deepEqual(then.sort(), ['h1', 'h2', 'h3']);
});

test('the packed kinds (HostConfigs, Stats, statuses) and source stats are stored packed and read back as the text that was planned; other kinds stay text', () => {
  const db = openDatabase(':memory:');
  const obs = observation(base);
  writeSnapshot(db, obs);
  const types = db.$client
    .prepare('SELECT k.kind AS kind, typeof(v.value) AS type FROM fact_versions v JOIN fact_keys k ON k.id = v.key_id GROUP BY 1, 2 ORDER BY 1, 2')
    .all() as { kind: string; type: string }[];
  for (const { kind, type } of types) assert.equal(type, kind in PACKED_KINDS ? 'blob' : 'text', kind);
  for (const kind of ['registration', 'status']) assert.ok(types.some((t) => t.kind === kind), `the observation has ${kind} facts`);
  const stored = readSourceState(db, 'zk.hosts', 1).filter((f) => f.kind === 'registration');
  const planned = obs.hosts.result.ok ? obs.hosts.result.value.hosts : [];
  assert.equal(stored.length, planned.length);
  for (const f of stored) assert.equal(JSON.parse(f.value).address.host, planned.find((h) => h.id === f.entity)!.address.host);
  // A change read through the versions written after the first state, not a checkpoint's text.
  writeSnapshot(db, observation({ ...base, registrationOverrides: { h2: { availabilityZone: 'az-moved' } } }));
  const h2 = readSourceState(db, 'zk.hosts', 2).find((f) => f.kind === 'registration' && f.entity === 'h2')!;
  assert.equal(JSON.parse(h2.value).availabilityZone, 'az-moved');
  assert.equal(readSourceState(db, 'zk.hosts', 1).find((f) => f.kind === 'registration' && f.entity === 'h2')!.value, stored.find((f) => f.entity === 'h2')!.value);
  // Each source's stats too, read back parsed.
  const statsRows = db.$client.prepare('SELECT source, stats FROM snapshot_sources').all() as { source: string; stats: string | Buffer }[];
  assert.ok(statsRows.filter((r) => Buffer.isBuffer(r.stats)).length >= 5, 'most stats are packed');
  for (const r of statsRows) if (typeof r.stats === 'string') assert.equal(packStats(r.stats), r.stats, `${r.source}: ${r.stats} would pack smaller`);
  const roles = sourceOutcomes(db, 1).find((o) => o.source === 'zk.roles')!;
  assert.deepEqual(roles.stats, { leaf: 2, placement: 3 });
});
