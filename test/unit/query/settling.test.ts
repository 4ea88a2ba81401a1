import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../../src/errors.js';
import {
  classifySettle,
  DEFAULT_SETTLE_MS,
  isTransient,
  parseSettle,
  parseSettlePerKind,
  settleMsFor,
  type Observation,
} from '../../../src/query/settling.js';

const W = 60_000;
const obs = (...xs: [number, Observation['state']][]): Observation[] => xs.map(([at, state]) => ({ at, state }));

test('drift younger than the window is settling; older is settled', () => {
  const h = obs([0, 'absent'], [10_000, 'seen'], [40_000, 'seen']);
  assert.deepEqual(classifySettle(h, 40_000, W), { state: 'settling', since: 10_000 });
  assert.deepEqual(classifySettle(h, 70_000, W), { state: 'settled', since: 10_000 });
});

test('an agreement resets the run', () => {
  const h = obs([0, 'seen'], [30_000, 'absent'], [50_000, 'seen']);
  assert.deepEqual(classifySettle(h, 100_000, W), { state: 'settling', since: 50_000 });
  assert.deepEqual(classifySettle(obs([0, 'seen'], [30_000, 'absent']), 100_000, W), { state: 'absent' });
});

test('unknown snapshots neither settle nor reset', () => {
  // unknown in the middle does not break the run
  assert.deepEqual(classifySettle(obs([0, 'seen'], [30_000, 'unknown'], [70_000, 'seen']), 70_000, W), { state: 'settled', since: 0 });
  // unknown alone does not start one
  assert.deepEqual(classifySettle(obs([0, 'absent'], [30_000, 'unknown'], [90_000, 'unknown']), 90_000, W), { state: 'absent' });
  // a run followed by unknowns is still the same run
  assert.deepEqual(classifySettle(obs([0, 'seen'], [30_000, 'unknown']), 30_000, W), { state: 'settling', since: 0 });
});

test('episodes shorter than the window are transient; open ones are not', () => {
  assert.equal(isTransient({ start: 0, end: 59_999 }, W), true);
  assert.equal(isTransient({ start: 0, end: 60_000 }, W), false);
  assert.equal(isTransient({ start: 0, end: null }, W), false);
});

test('durations parse; per-kind overrides win over the default', () => {
  assert.equal(parseSettle('90s'), 90_000);
  assert.equal(parseSettle('2m'), 120_000);
  assert.equal(parseSettle('500ms'), 500);
  assert.throws(() => parseSettle('soon'), UsageError);
  assert.throws(() => parseSettle('-5s'), UsageError);
  const perKind = parseSettlePerKind({ agent_role_differs: '2m' }, ['agent_role_differs', 'leaf_owner_differs']);
  const cfg = { defaultMs: DEFAULT_SETTLE_MS, perKind };
  assert.equal(settleMsFor('agent_role_differs', cfg), 120_000);
  assert.equal(settleMsFor('leaf_owner_differs', cfg), 60_000);
  assert.throws(() => parseSettlePerKind({ nope: '1s' }, ['a']), /unknown drift kind 'nope'/);
  assert.throws(() => parseSettlePerKind({ a: 5 }, ['a']), UsageError);
});
