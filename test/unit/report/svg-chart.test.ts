import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chartBuckets } from '../../../src/report/chart-buckets.js';
import type { SeriesPoint } from '../../../src/report/report-model.js';
import { niceStep, renderChart } from '../../../src/report/svg-chart.js';
import { mark } from './fixtures.js';

function point(id: number, p: Partial<SeriesPoint> = {}): SeriesPoint {
  return { snapshot: mark(id), outcome: 'complete', failedSources: [], missing: 0, offline: 0, drift: 0, leaderChanges: [], ...p };
}

const count = (text: string, re: RegExp) => [...text.matchAll(re)].length;

test('buckets keep the largest value of each series, every failure and every leader change', () => {
  const series = [
    point(1, { missing: 1 }),
    point(2, { missing: null, offline: 4, outcome: 'partial', failedSources: ['zk.missing'] }),
    point(3, { missing: 3, drift: 2, leaderChanges: ['chairman'] }),
    point(4, { missing: null, offline: null, outcome: 'unavailable', failedSources: ['zk.missing', 'status'] }),
    point(5, { missing: null, offline: null, outcome: 'partial', failedSources: ['status'], leaderChanges: ['root-scheduler', 'chairman'] }),
  ];
  assert.deepEqual(chartBuckets(series, 2), [
    { from: mark(1), to: mark(3), collections: 3, missing: 3, offline: 4, drift: 2, partial: 1, unavailable: 0, failedSources: ['zk.missing'], leaderChanges: ['chairman'] },
    { from: mark(4), to: mark(5), collections: 2, missing: null, offline: null, drift: 0, partial: 1, unavailable: 1, failedSources: ['zk.missing', 'status'], leaderChanges: ['root-scheduler', 'chairman'] },
  ]);
  assert.equal(chartBuckets(series, 400).length, 5, 'one bucket per collection when they fit');
});

test('niceStep: 1, 2 or 5 times a power of ten', () => {
  assert.deepEqual([0.25, 1, 3, 12, 250, 2001].map(niceStep), [1, 1, 5, 20, 500, 5000]);
});

test('the chart: a line per series broken where unknown, a titled point per known value, markers with titles', () => {
  const svg = renderChart([
    point(1, { missing: 1, offline: 0 }),
    point(2, { missing: null, offline: 2, outcome: 'partial', failedSources: ['zk.missing'] }),
    point(3, { missing: 2, offline: 1, drift: 1, leaderChanges: ['chairman'] }),
  ]);
  assert.match(svg, /^<svg class="chart" viewBox="0 0 1100 360" width="1100" height="360" role="img" aria-labelledby="chart-title chart-desc">/);
  const missingPath = /<path class="series series-missing" d="([^"]+)"/.exec(svg)![1]!;
  assert.equal(count(missingPath, /M/g), 2, 'two pieces: the unknown collection is a gap');
  assert.equal(count(missingPath, /L/g), 0);
  assert.match(/<path class="series series-offline" d="([^"]+)"/.exec(svg)![1]!, /^M[\d.]+ [\d.]+ L[\d.]+ [\d.]+ L[\d.]+ [\d.]+$/);
  assert.equal(count(svg, /class="point point-missing"/g), 2);
  assert.equal(count(svg, /class="point point-offline"/g), 3);
  assert.match(svg, /<title>#3 2026-11-25T03:15:00Z: hosts in \/missing 2<\/title>/);
  assert.match(svg, /<title>#2 2026-11-25T03:10:00Z: missing unknown, offline 2, open drift 0; 1 failed \(zk.missing\)<\/title>/);
  assert.equal(count(svg, /class="marker marker-failed marker-partial"/g), 1);
  assert.match(svg, /<g class="marker marker-leader"><title>#3 2026-11-25T03:15:00Z: leader changed: chairman<\/title>/);
  assert.doesNotMatch(svg, /<script|href=|url\(/);
});

test('ten thousand collections are drawn as at most 400 points per series', () => {
  const series = Array.from({ length: 10_000 }, (_, i) => point(i + 1, { missing: i % 97, offline: i % 13 }));
  const svg = renderChart(series);
  assert.equal(count(svg, /class="point point-missing"/g), 400);
  assert.equal(count(svg, /class="hover"/g), 400);
  assert.match(svg, /<title>#1–#25 \(25 collections, largest values\): hosts in \/missing 24<\/title>/);
});
