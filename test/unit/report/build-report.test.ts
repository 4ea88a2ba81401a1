// The model from the real query layer over a small stored history (in-memory
// SQLite, as the query tests do), with exact expectations.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildReport } from '../../../src/report/build-report.js';
import { loadReportInput } from '../../../src/report/load-report-input.js';
import { NotFoundError } from '../../../src/errors.js';
import type { ClusterSpec } from '../../support/observation.js';
import { down, storeOf } from '../query/store-history.js';
import { ep, mark } from './fixtures.js';

const base: ClusterSpec = { leaves: { L1: ['h1', 'h2'], L2: ['h3', 'h4'] } };
const moved = { L1: ['h1', 'h2', 'h4'], L2: ['h3'] };
const history = () =>
  storeOf([
    base, // #1, before the window
    base, // #2
    { ...base, offline: ['h3'] }, // #3 h3 stops answering
    { ...base, offline: ['h3'], missing: ['h3'], failed: { chairman: down } }, // #4 reported missing; chairman unreadable
    { ...base, offline: ['h3'], missing: ['h3'], chairmanLeaves: moved }, // #5 the chairman moved h4 in memory
    { ...base, chairmanLeaves: moved, failed: { missing: down }, services: { 'root-scheduler': [] } }, // #6 h3 back; /missing unreadable; no root leader
    { ...base, chairmanLeaves: moved }, // #7
  ]);

test('summary, series, episodes and trees of a window', () => {
  const m = buildReport(loadReportInput(history(), { since: mark(2).startedAt }));
  assert.deepEqual(m.window, { first: mark(2), last: mark(7) });
  const s = m.summary;
  assert.equal(s.collections, 6);
  assert.deepEqual(s.outcomes, { complete: 4, partial: 2, unavailable: 0 });
  assert.deepEqual([s.missingHosts, s.stillMissing, s.missingUnknownAtEnd], [['h3'], [], false]);
  assert.deepEqual([s.offlineNodes, s.stillOffline], [['h3'], []]);
  // The chairman's move of h4 is one leaf_hosts_differ per leaf and one host_placement_differs for h4.
  assert.deepEqual(s.drift, {
    episodes: 6,
    open: 3,
    byKind: { host_placement_differs: 1, leaf_hosts_differ: 2, missing_but_placed: 1, offline_not_missing: 1, service_no_leader: 1 },
  });
  // h3 went missing; drift touched h3 (offline, missing but placed) and h4 (the chairman moved it).
  assert.deepEqual(s.missingBlastRadius, { leaves: [{ id: 'L2', affected: 1, total: 2 }], zones: [{ id: 'az1', affected: 1 }], unplaced: 0, unzoned: 0 });
  assert.deepEqual(s.driftBlastRadius, { leaves: [{ id: 'L2', affected: 2, total: 2 }], zones: [{ id: 'az1', affected: 2 }], unplaced: 0, unzoned: 0 });
  assert.equal(s.leaderChanges, 2);
  assert.deepEqual(
    s.sources.filter((a) => a.failed).map((a) => [a.source, a.ok, a.failed]),
    [
      ['zk.missing', 5, 1],
      ['chairman', 5, 1],
    ],
  );

  assert.deepEqual(
    m.series.map((p) => [p.snapshot.id, p.outcome, p.missing, p.offline, p.drift, p.leaderChanges.join()]),
    [
      [2, 'complete', 0, 0, 0, ''],
      [3, 'complete', 0, 1, 1, ''],
      [4, 'partial', 1, 1, 1, ''],
      [5, 'complete', 1, 1, 4, ''],
      [6, 'partial', null, 0, 5, 'root-scheduler'],
      [7, 'complete', 0, 0, 3, 'root-scheduler'],
    ],
  );
  assert.deepEqual(
    m.leaderChanges.map((l) => [l.service, l.at.by.id, l.before, l.after]),
    [
      ['root-scheduler', 6, ep(15000), null],
      ['root-scheduler', 7, null, ep(15000)],
    ],
  );
  assert.deepEqual(
    m.outages.map((o) => [o.source, o.from.id, o.to.id]),
    [
      ['chairman', 4, 4],
      ['zk.missing', 6, 6],
    ],
  );
  assert.deepEqual(
    m.missingEpisodes.map((e) => [e.host, e.start.after?.id, e.start.by.id, e.lastSeen.id, e.endBy?.id]),
    [['h3', 3, 4, 5, 7]],
  );
  assert.deepEqual(
    m.statusEpisodes.map((e) => [e.node, e.status, e.start.after?.id, e.start.by.id, e.lastSeen.id, e.endBy?.id, e.endedAs]),
    [['h3', 'OFFLINE', 2, 3, 5, 6, 'ONLINE']],
  );

  // h4 moved only in the chairman's tree: highlighted there, on both sides; ZooKeeper's tree unchanged.
  const [zk, chairman] = m.trees;
  assert.equal(zk!.source, 'zk.roles');
  assert.ok(zk!.start.leaves.concat(zk!.end.leaves).every((l) => !l.changes.length && l.hosts.every((h) => !h.changes.length)));
  assert.deepEqual(
    chairman!.start.leaves.map((l) => [l.id, l.hosts.map((h) => `${h.id}${h.changes.length ? `: ${h.changes.join()}` : ''}`)]),
    [
      ['L1', ['h1', 'h2']],
      ['L2', ['h3', 'h4: moved L2 → L1']],
    ],
  );
  assert.deepEqual(
    chairman!.end.leaves.map((l) => [l.id, l.hosts.map((h) => `${h.id}${h.changes.length ? `: ${h.changes.join()}` : ''}`)]),
    [
      ['L1', ['h1', 'h2', 'h4: moved L2 → L1']],
      ['L2', ['h3']],
    ],
  );
  assert.equal(m.differences.total, 1);
});

test('a window with no snapshot is "not found"', () => {
  assert.throws(() => loadReportInput(history(), { since: mark(8).startedAt }), NotFoundError);
});
