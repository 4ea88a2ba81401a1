// The bench's daemon section is judged against issue 17's three targets, each in one run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DaemonResult } from '../../../bench/sections/daemon.js';
import { checkTargets, TARGETS } from '../../../bench/targets.js';

function daemon(steadyRss: number, peak: number, cpuPerTick: number): DaemonResult {
  const summary = { n: 0, p50: 0, p90: 0, p99: 0, max: 0, mean: 0 } as unknown as DaemonResult['tickMs'];
  return {
    hosts: 5000, cron: '*/4 * * * * *', intervalS: 4, ticksWanted: 30, ticks: 30, cappedAt: null, outcomes: { complete: 30 },
    tickMs: summary,
    rssMiB: { tick1: steadyRss, tick10: steadyRss, last: steadyRss, min: steadyRss, max: peak, peak },
    rssGrowth: { earlyMedianMiB: steadyRss, lateMedianMiB: steadyRss, slopeKiBPerTick: 0 },
    rssByTenth: [],
    cpu: { cores: 0.1, secondsPerTick: cpuPerTick, systemSecondsPerTick: 0 },
    steady: { rssMiB: steadyRss, heapUsedMiB: 20, heapTotalMiB: 30 },
    samples: [],
  };
}

const verdicts = (d: DaemonResult) =>
  checkTargets({ daemon: d })
    .filter((c) => /steady RSS|peak RSS|CPU per/.test(c.target))
    .map((c) => [c.target.split(' <=')[0], c.met]);

test('steady RSS, peak RSS and CPU per tick are each checked against their target', () => {
  assert.deepEqual(verdicts(daemon(120, 180, 0.4)), [
    ['daemon steady RSS', true],
    ['daemon peak RSS', true],
    ['daemon CPU per unchanged tick', true],
  ]);
  assert.deepEqual(verdicts(daemon(TARGETS.daemonSteadyRssMiB + 1, 180, 0.4)).map(([, met]) => met), [false, true, true]);
  assert.deepEqual(verdicts(daemon(120, TARGETS.daemonPeakRssMiB + 1, 0.4)).map(([, met]) => met), [true, false, true]);
  assert.deepEqual(verdicts(daemon(120, 180, TARGETS.daemonCpuSecondsPerTick + 0.01)).map(([, met]) => met), [true, true, false]);
});
