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

test('drift seen for less than the window is settling; for the window or longer, settled', () => {
  const h = obs([0, 'absent'], [10_000, 'seen'], [40_000, 'seen']);
  assert.deepEqual(classifySettle(h, W), { state: 'settling', since: 10_000 });
  assert.deepEqual(classifySettle([...h, { at: 70_000, state: 'seen' }], W), { state: 'settled', since: 10_000 });
  assert.deepEqual(classifySettle(obs([0, 'absent']), W), { state: 'absent' });
  assert.deepEqual(classifySettle([], W), { state: 'absent' });
});

test('an agreement resets the run', () => {
  const h = obs([0, 'seen'], [30_000, 'absent'], [50_000, 'seen'], [100_000, 'seen']);
  assert.deepEqual(classifySettle(h, W), { state: 'settling', since: 50_000 });
  assert.deepEqual(classifySettle(obs([0, 'seen'], [70_000, 'seen'], [80_000, 'absent']), W), { state: 'absent' });
});

test('unknown snapshots neither settle nor reset', () => {
  // an unknown in the middle does not break the run
  assert.deepEqual(classifySettle(obs([0, 'seen'], [30_000, 'unknown'], [70_000, 'seen']), W), { state: 'settled', since: 0 });
  // unknowns after the run do not age it into settled
  assert.deepEqual(classifySettle(obs([0, 'seen'], [30_000, 'unknown'], [90_000, 'unknown']), W), { state: 'settling', since: 0 });
  // unknowns alone do not start one, nor end one
  assert.deepEqual(classifySettle(obs([0, 'absent'], [30_000, 'unknown'], [90_000, 'unknown']), W), { state: 'absent' });
  assert.deepEqual(classifySettle(obs([0, 'seen'], [60_000, 'seen'], [90_000, 'unknown']), W), { state: 'settled', since: 0 });
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
