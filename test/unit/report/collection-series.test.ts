import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectionSeries, openCounts, outcomeOf } from '../../../src/report/collection-series.js';
import { sourceAvailability, sourceOutages } from '../../../src/report/source-availability.js';
import { SOURCES } from '../../../src/snapshot/source-name.js';
import { collection, driftEpisode, mark, missingEpisode } from './fixtures.js';

test('openCounts: an interval holds from its start up to, not including, its end', () => {
  const intervals = [
    { from: 2, to: 4 },
    { from: 0, to: null }, // began before the window, still open
    { from: 3, to: 3 }, // began and ended at the same id: never seen holding
    { from: 5, to: null },
  ];
  assert.deepEqual(openCounts(intervals, [1, 2, 3, 4, 5, 6]), [1, 2, 2, 1, 2, 2]);
  assert.deepEqual(openCounts([], [1, 2]), [0, 0]);
});

test('outcome: complete, partial, or unavailable when no source was read', () => {
  assert.equal(outcomeOf([]), 'complete');
  assert.equal(outcomeOf(['chairman']), 'partial');
  assert.equal(outcomeOf([...SOURCES]), 'unavailable');
});

test('the series: counts per collection, unknown where the source was not read, leader changes at their collection', () => {
  const series = collectionSeries({
    collections: [collection(1), collection(2, { offline: 1 }), collection(3, { failed: ['zk.missing', 'chairman'], offline: 1 }), collection(4, { failed: ['status'] }), collection(5)],
    missing: [missingEpisode('h1', 1, 2, 4, 5), missingEpisode('h2', null, 3, 5, null)],
    drift: [driftEpisode('L1', 2, 3, 4)],
    leaderChanges: [{ service: 'chairman', at: { after: mark(2), by: mark(4) }, before: null, after: null }],
  });
  assert.deepEqual(series, [
    { snapshot: mark(1), outcome: 'complete', failedSources: [], missing: 0, offline: 0, drift: 0, leaderChanges: [] },
    { snapshot: mark(2), outcome: 'complete', failedSources: [], missing: 1, offline: 1, drift: 1, leaderChanges: [] },
    { snapshot: mark(3), outcome: 'partial', failedSources: ['zk.missing', 'chairman'], missing: null, offline: 1, drift: 1, leaderChanges: [] },
    { snapshot: mark(4), outcome: 'partial', failedSources: ['status'], missing: 2, offline: null, drift: 0, leaderChanges: ['chairman'] },
    { snapshot: mark(5), outcome: 'complete', failedSources: [], missing: 1, offline: 0, drift: 0, leaderChanges: [] },
  ]);
});

test('availability per source, and each run of failed reads as one outage', () => {
  const collections = [
    collection(1),
    collection(2, { failed: ['chairman'] }),
    collection(3, { failed: ['chairman', 'status'], error: 'timeout: 10s' }),
    collection(4),
    collection(5, { failed: ['chairman'] }),
  ];
  const byName = new Map(sourceAvailability(collections).map((a) => [a.source, a]));
  assert.deepEqual(byName.get('chairman'), { source: 'chairman', ok: 2, failed: 3, errorKinds: [{ kind: 'unreachable', count: 2 }, { kind: 'timeout', count: 1 }] });
  assert.deepEqual(byName.get('zk.roles'), { source: 'zk.roles', ok: 5, failed: 0, errorKinds: [] });
  assert.deepEqual(sourceOutages(collections), [
    { source: 'chairman', from: mark(2), to: mark(3), collections: 2, error: 'unreachable: ECONNREFUSED' },
    { source: 'status', from: mark(3), to: mark(3), collections: 1, error: 'timeout: 10s' },
    { source: 'chairman', from: mark(5), to: mark(5), collections: 1, error: 'unreachable: ECONNREFUSED' },
  ]);
});
