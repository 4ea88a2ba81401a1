import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson } from '../../../src/snapshot/canonical-json.js';
import { factKey, type Fact } from '../../../src/snapshot/fact.js';
import { planVersions } from '../../../src/snapshot/plan-versions.js';

const placement = (host: string, leaf: string): Fact => ({
  source: 'zk.roles',
  kind: 'placement',
  entity: host,
  value: { leaf, address: { host: '127.0.0.1', port: 1 } },
});

function state(facts: Fact[]): Map<string, string> {
  return new Map(facts.map((f) => [factKey(f.kind, f.entity), canonicalJson(f.value)]));
}

test('equal values are not rewritten, whatever their key order', () => {
  const prev = new Map([[factKey('placement', 'h1'), '{"address":{"host":"127.0.0.1","port":1},"leaf":"L1"}']]);
  assert.deepEqual(planVersions(prev, [placement('h1', 'L1')], () => false).writes, []);
});

test('changed, new and vanished facts', () => {
  const prev = state([placement('h1', 'L1'), placement('h2', 'L1')]);
  const { writes } = planVersions(prev, [placement('h1', 'L2'), placement('h3', 'L1')], () => false);
  assert.deepEqual(
    writes.map((w) => [w.entity, w.value === null ? null : JSON.parse(w.value).leaf]),
    [['h1', 'L2'], ['h3', 'L1'], ['h2', null]],
  );
});

test('the keep rule turns a vanished fact into "unknown", not a tombstone', () => {
  const prev = state([placement('h1', 'L1'), placement('h2', 'L9')]);
  const { writes, kept } = planVersions(prev, [placement('h1', 'L1')], (_k, _e, v) => (v as { leaf: string }).leaf === 'L9');
  assert.deepEqual(writes, []);
  assert.equal(kept, 1, 'the kept fact is counted (store/head-state.ts plans such a source again)');
});

test('an entity named twice by one source is written once', () => {
  const { writes } = planVersions(new Map(), [placement('h1', 'L1'), placement('h1', 'L2')], () => false);
  assert.equal(writes.length, 1);
});
