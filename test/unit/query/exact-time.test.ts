// Exact times from ZooKeeper's Stat records: which Stats are kept, when a
// Stat proves a change's time, and how it reads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ZkStat } from '../../../src/model/zk-stat.js';
import { sourceError } from '../../../src/model/source-error.js';
import { formatBetween } from '../../../src/present/time-bounds.js';
import { exactFromStat } from '../../../src/query/exact-time.js';
import { loadMissing } from '../../../src/query/load-missing.js';
import { loadTimeline } from '../../../src/query/load-timeline.js';
import { statPathOf } from '../../../src/query/stat-path.js';
import { planVersions } from '../../../src/snapshot/plan-versions.js';
import { statFacts, statSourceOf } from '../../../src/snapshot/zk-stat-facts.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { writeSnapshot } from '../../../src/store/write-snapshot.js';
import { observation, type ClusterSpec } from '../../support/observation.js';
import { codeOf } from '../../../src/store/source-codes.js';

function stat(ctime: number, mtime = ctime, version = 0): ZkStat {
  return { ctime, mtime, czxid: 'a', mzxid: 'b', pzxid: 'c', version, cversion: 0, ephemeralOwner: '0' };
}

const base: ClusterSpec = { leaves: { L1: ['h1', 'h2'], L2: ['h3'] } };

test('only the nodes the sources read have a Stat record', () => {
  assert.equal(statSourceOf('/missing/h1'), 'zk.missing');
  assert.equal(statSourceOf('/missing'), 'zk.missing');
  assert.equal(statSourceOf('/services/chairman/m-1'), 'zk.services');
  assert.equal(statSourceOf('/roles/h1'), 'zk.roles');
  assert.equal(statSourceOf('/'), null);
  assert.equal(statSourceOf('/hosts/h1/deeper'), null);
  assert.equal(statSourceOf('/hostsx'), null);
  const obs = { ...observation(base), zkStats: { '/': stat(1), '/hosts/h1': stat(2), '/roles/h1': stat(3) } };
  assert.deepEqual(statFacts(obs).facts.map((f) => f.entity).sort(), ['/hosts/h1', '/roles/h1']);
});

test("a Stat not seen is closed only when its node is known gone", () => {
  const previous = new Map([
    ['stat\u0000/missing/h1', JSON.stringify(stat(5))],
    ['stat\u0000/missing/h2', JSON.stringify(stat(6))],
    ['stat\u0000/hosts/h1', JSON.stringify(stat(7))],
  ]);
  // /missing lists h2 but its Stat could not be read; h1 is no longer listed; /hosts failed.
  const obs = { ...observation({ ...base, missing: ['h2'], failed: { hosts: sourceError('timeout', 't') } }), zkStats: {} };
  const { facts, keep } = statFacts(obs);
  const { writes } = planVersions(previous, facts, keep);
  assert.deepEqual(writes, [{ kind: 'stat', entity: '/missing/h1', value: null }]);
});

test('a Stat proves the time of a change only when it was recorded with it', () => {
  const v = [
    { snapshot: 2, value: JSON.stringify(stat(1000, 1500)) },
    { snapshot: 4, value: null },
    { snapshot: 6, value: JSON.stringify(stat(5000)) },
  ];
  assert.deepEqual(exactFromStat(v, 2, '/hosts/h1', 'mtime'), { at: 1500, record: 'mtime of /hosts/h1' });
  assert.deepEqual(exactFromStat(v, 6, '/missing/h1', 'ctime'), { at: 5000, record: 'ctime of /missing/h1' });
  assert.equal(exactFromStat(v, 3, '/hosts/h1', 'mtime'), null, 'recorded earlier: may be an earlier node');
  assert.equal(exactFromStat(v, 4, '/hosts/h1', 'mtime'), null, 'the node went: no time');
  assert.equal(exactFromStat(undefined, 2, '/hosts/h1', 'mtime'), null);
});

test('which node times which change', () => {
  assert.deepEqual(statPathOf({ source: 'zk.missing', kind: 'missing', entity: 'h1', after: true }), { path: '/missing/h1', field: 'ctime' });
  assert.deepEqual(statPathOf({ source: 'zk.hosts', kind: 'registration', entity: 'h1', after: {} }), { path: '/hosts/h1', field: 'mtime' });
  assert.deepEqual(statPathOf({ source: 'zk.roles', kind: 'leaf', entity: 'L1', after: { owner: 'h1', address: null } }), {
    path: '/roles/h1',
    field: 'mtime',
  });
  assert.equal(statPathOf({ source: 'zk.missing', kind: 'missing', entity: 'h1', after: null }), null, 'a removal leaves no node');
  assert.equal(statPathOf({ source: 'chairman', kind: 'leaf', entity: 'L1', after: { owner: 'h1', address: null } }), null);
  assert.equal(statPathOf({ source: 'status', kind: 'status', entity: 'h1', after: {} }), null);
});

test('an exact time reads as the time and its record; bounds read as before', () => {
  const by = { id: 4, startedAt: Date.parse('2026-11-25T03:05:00Z') };
  const after = { id: 3, startedAt: Date.parse('2026-11-25T03:00:00Z') };
  assert.equal(formatBetween({ after, by }), 'between 2026-11-25T03:00:00Z and 03:05:00Z');
  const exact = { at: Date.parse('2026-11-25T03:02:17.412Z'), record: 'ctime of /missing/h6' };
  assert.equal(formatBetween({ after, by, exact }), '2026-11-25T03:02:17.412Z (ZooKeeper: ctime of /missing/h6)');
});

test('missing and timeline carry the ctime of /missing/<host> as the exact start, the bounds beside it', () => {
  const db = openDatabase(':memory:');
  const t = 1_700_000_000_000;
  writeSnapshot(db, { ...observation({ ...base, at: t }), zkStats: { '/missing': stat(1, 1) } });
  const reported = t + 61_234;
  writeSnapshot(db, { ...observation({ ...base, at: t + 300_000, missing: ['h2'] }), zkStats: { '/missing': stat(1, 1), '/missing/h2': stat(reported) } });
  const report = loadMissing(db, {});
  const start = report.missing[0]!.episodes[0]!.start;
  assert.deepEqual(start.exact, { at: reported, record: 'ctime of /missing/h2' });
  assert.deepEqual([start.after?.id, start.by.id], [1, 2]);
  const events = loadTimeline(db, {}).events.filter((e) => e.type === 'change' && e.change.category === 'missing_added');
  assert.equal(events.length, 1);
  assert.deepEqual(events[0]!.at.exact, { at: reported, record: 'ctime of /missing/h2' });

  // An unchanged third collection writes no Stat; without a Stat, only the bounds.
  const before = (db.$client.prepare(`SELECT count(*) AS n FROM fact_versions WHERE source = ${codeOf("'zk.stat'")}`).get() as { n: number }).n;
  writeSnapshot(db, { ...observation({ ...base, at: t + 600_000, missing: ['h2'] }), zkStats: { '/missing': stat(1, 1), '/missing/h2': stat(reported) } });
  assert.equal((db.$client.prepare(`SELECT count(*) AS n FROM fact_versions WHERE source = ${codeOf("'zk.stat'")}`).get() as { n: number }).n, before);
  writeSnapshot(db, observation({ ...base, at: t + 900_000, missing: ['h2', 'h3'] }));
  const h3 = loadMissing(db, { host: 'h3' }).missing[0]!.episodes[0]!.start;
  assert.equal(h3.exact, undefined);
});

test("a leader change is timed by the new leader's member node, when it was read with it", async () => {
  const { leaderEvents } = await import('../../../src/query/timeline.js');
  const A = { host: '10.0.0.1', port: 13000 };
  const B = { host: '10.0.0.2', port: 13000 };
  const P = { id: 1, startedAt: 1000 };
  const S = { id: 2, startedAt: 2000 };
  const exact = { at: 1500, record: 'mtime of /services/chairman/m2' };
  const events = leaderEvents(new Map([['chairman/m1', { address: A, error: null }]]), [
    { source: 'zk.services', kind: 'member', entity: 'chairman/m1', before: { address: A, error: null }, after: null, snapshot: S, previousOk: P },
    { source: 'zk.services', kind: 'member', entity: 'chairman/m2', before: null, after: { address: B, error: null }, snapshot: S, previousOk: P, exact },
  ]);
  assert.equal(events.length, 1);
  assert.deepEqual(events[0]!.at, { after: P, by: S, exact });
});

test('a Stat is written as canonicalJson would write it', async () => {
  const { statJson } = await import('../../../src/snapshot/zk-stat-facts.js');
  const { canonicalJson } = await import('../../../src/snapshot/canonical-json.js');
  const s = { ctime: 1764812345678, mtime: 1764812399999, czxid: '1a2b', mzxid: 'ff00', pzxid: '0', version: 7, cversion: 3, ephemeralOwner: '10000abcdef' };
  assert.equal(statJson(s), canonicalJson(s));
  assert.equal(statJson(stat(1)), canonicalJson(stat(1)));
});
