import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../../src/errors.js';
import { driftGauges, failingItems, parseFailOn } from '../../../src/query/drift-alerting.js';

const KINDS = ['agent_role_differs', 'leaf_owner_differs', 'node_error'];

test('--fail-on parses known kinds and refuses the rest with one line', () => {
  assert.deepEqual(parseFailOn('agent_role_differs, node_error', KINDS), ['agent_role_differs', 'node_error']);
  for (const bad of ['', 'x', 'node_error,', 'node_error,node_error']) {
    assert.throws(() => parseFailOn(bad, KINDS), (e: unknown) => e instanceof UsageError && !e.message.includes('\n'));
  }
});

test('only settled items of the named kinds fail; without --fail-on every settled item does', () => {
  const settled = [{ kind: 'node_error' }, { kind: 'leaf_owner_differs' }];
  assert.deepEqual(failingItems(settled, ['node_error']), [{ kind: 'node_error' }]);
  assert.deepEqual(failingItems(settled, ['agent_role_differs']), []);
  assert.deepEqual(failingItems(settled, null), settled);
});

test('gauges: every kind and state, zero included', () => {
  const g = driftGauges(KINDS, {
    settled: [{ kind: 'node_error' }, { kind: 'node_error' }],
    settling: [{ kind: 'agent_role_differs' }],
    ignored: [],
  });
  assert.equal(g.length, 9);
  const v = (kind: string, state: string) => g.find((x) => x.kind === kind && x.state === state)!.value;
  assert.equal(v('node_error', 'settled'), 2);
  assert.equal(v('agent_role_differs', 'settling'), 1);
  assert.equal(v('leaf_owner_differs', 'ignored'), 0);
});
