// Issue 17 item 5: each timed CLI command is judged against a bare `node -e 0`
// run in turn with it (the ratio the queries section measures), and the scale
// run judges its longest history the same way (issue 21).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CliTiming, QueryResult } from '../../../bench/sections/queries.js';
import type { ScalePoint } from '../../../bench/sections/scale.js';
import { checkTargets, TARGETS } from '../../../bench/targets.js';

const summary = (p50: number) => ({ n: 10, min: p50, p50, p90: p50, p99: p50, max: p50, mean: p50 });

function call(name: string, ratio: number | null, reference = false): CliTiming {
  return { name, reference, ms: summary(100), failures: [], ...(ratio === null ? {} : { floor: { ms: summary(100 / ratio), ratio } }) };
}

function queries(cli: CliTiming[]): QueryResult {
  return { history: { bytesPerSnapshot: 1 }, inProcess: [], cli } as unknown as QueryResult;
}

const floorVerdicts = (checks: ReturnType<typeof checkTargets>) =>
  checks.filter((c) => c.target.includes('x node -e 0')).map((c) => [c.target.replace(/^.*: /, ''), c.met, c.target.startsWith('@')]);

test('every call measured against node -e 0 gets a verdict at the target ratio; node -e 0 itself and verify do not', () => {
  const k = TARGETS.cliFloorRatio;
  const cli = [call('node -e 0 (bare Node start)', null, true), call('treesnap --version', 1.1, true), call('show', k), call('diff', k + 0.01), call('verify', null)];
  assert.deepEqual(floorVerdicts(checkTargets({ queries: queries(cli) })), [
    ['treesnap --version', true, false],
    ['show', true, false],
    ['diff', false, false],
  ]);
});

test('the scale run judges the calls at its longest history', () => {
  const point = (snapshots: number, ratio: number): ScalePoint => ({ snapshots, result: queries([call('show', ratio)]) });
  assert.deepEqual(floorVerdicts(checkTargets({ scale: [point(10_000, 1.1), point(525_600, 2.2)] })), [['show', false, true]]);
});
