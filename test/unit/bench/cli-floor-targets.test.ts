// Issue 17 item 5: each timed CLI command is judged against a bare `node -e 0`
// run in turn with it (the ratio the queries section measures), and the scale
// run judges its longest history the same way (issue 21); in-process p99s are
// judged against their query's bound.
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

test('the floor under any query (not a treesnap call) gets no verdict, even above the target ratio', () => {
  const floor: CliTiming = { ...call('floor of any query', TARGETS.cliFloorRatio + 0.2, true), yardstick: true };
  const point = (snapshots: number): ScalePoint => ({ snapshots, result: queries([floor, call('show', 1.1)]) });
  assert.deepEqual(floorVerdicts(checkTargets({ queries: queries([floor, call('show', 1.1)]) })), [['show', true, false]]);
  assert.deepEqual(floorVerdicts(checkTargets({ scale: [point(10_000), point(525_600)] })), [['show', true, true]]);
});

test('the scale run judges the calls at its longest history', () => {
  const point = (snapshots: number, ratio: number): ScalePoint => ({ snapshots, result: queries([call('show', ratio)]) });
  assert.deepEqual(floorVerdicts(checkTargets({ scale: [point(10_000, 1.1), point(525_600, 2.2)] })), [['show', false, true]]);
});

test("in process, show --json is judged against its own bound (issue 21's 150 ms) and every other query against the queries' 50 ms", () => {
  const timing = (name: string, p99: number) => ({ name, ms: summary(p99) });
  const result = (p99s: number[]) => ({ ...queries([]), inProcess: [timing('show --at TIME --json (every HostConfig)', p99s[0]!), timing('show --at TIME', p99s[1]!)] }) as unknown as QueryResult;
  const verdicts = (checks: ReturnType<typeof checkTargets>) => checks.filter((c) => c.target.includes('in process p99 <')).map((c) => [c.target, c.met]);
  assert.deepEqual(verdicts(checkTargets({ queries: result([120, 60]) })), [
    ['in process p99 < 150 ms: show --at TIME --json (every HostConfig)', true],
    ['in process p99 < 50 ms: show --at TIME', false],
  ]);
  assert.deepEqual(verdicts(checkTargets({ scale: [{ snapshots: 10_000, result: result([100, 40]) }, { snapshots: 525_600, result: result([160, 45]) }] })), [
    ['@525600 in process p99 < 150 ms: show --at TIME --json (every HostConfig)', false],
    ['@525600 in process p99 < 50 ms: show --at TIME', true],
  ]);
});
