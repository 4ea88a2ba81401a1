// A source's state reads a changed value only when one asks for it (pure): the
// names of a kind's facts read none, one fact reads that one, and every way of
// reading gives what reading all of them at once gives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FactKind } from '../../../src/snapshot/fact.js';
import type { KindGroups } from '../../../src/store/checkpoint-format.js';
import { SourceState, type FactVersion } from '../../../src/store/source-state.js';

const base: KindGroups = new Map<FactKind, string[]>([
  ['status', ['a', '"base-a"', 'b', '"base-b"', 'c', '"base-c"']],
  ['node_error', ['/x', '"err"']],
]);
const versions: FactVersion[] = [
  { kind: 'status', entity: 'b', value: '"v1-b"' },
  { kind: 'status', entity: 'd', value: '"v1-d"' },
  { kind: 'status', entity: 'c', value: null },
  { kind: 'status', entity: 'b', value: '"v2-b"' },
  { kind: 'registration', entity: 'd', value: '"reg-d"' },
];

function counted(): { state: SourceState; reads: string[] } {
  const reads: string[] = [];
  const state = new SourceState(base, versions, (kind, entity, stored) => {
    reads.push(`${kind}:${entity}`);
    return stored.toUpperCase();
  });
  return { state, reads };
}

test('the names of a kind read no value, in the order its facts come out', () => {
  const { state, reads } = counted();
  const eachOrder: string[] = [];
  const fresh = counted().state;
  fresh.each('status', (entity) => eachOrder.push(entity));
  assert.deepEqual(state.entities('status'), ['a', 'd', 'b']);
  assert.deepEqual(state.entities('status'), eachOrder);
  assert.deepEqual(state.entities('registration'), ['d']);
  assert.deepEqual(state.entities('leaf'), []);
  assert.deepEqual(reads, []);
});

test('one fact reads that one value, once; a base value and a stopped fact read none', () => {
  const { state, reads } = counted();
  assert.equal(state.get('status', 'b'), '"V2-B"');
  assert.equal(state.get('status', 'b'), '"V2-B"');
  assert.deepEqual(reads, ['status:b']);
  assert.equal(state.get('status', 'a'), '"base-a"', 'a base value is as stored');
  assert.equal(state.get('status', 'c'), undefined, 'stopped holding');
  assert.equal(state.get('status', 'zz'), undefined);
  assert.equal(state.get('leaf', 'a'), undefined);
  assert.deepEqual(reads, ['status:b']);
});

test('each, ofKind, get and all agree with reading every value at once', () => {
  const { state, reads } = counted();
  const eager = new SourceState(
    base,
    versions.map((v) => ({ ...v, value: v.value === null ? null : v.value.toUpperCase() })),
  );
  for (const kind of ['status', 'registration', 'node_error', 'leaf'] as FactKind[]) {
    const lazy = state.ofKind(kind);
    assert.deepEqual([...lazy], [...eager.ofKind(kind)], kind);
    for (const entity of ['a', 'b', 'c', 'd', '/x']) assert.equal(state.get(kind, entity), eager.ofKind(kind).get(entity), `${kind} ${entity}`);
  }
  assert.deepEqual(state.all(), eager.all());
  assert.deepEqual(reads.sort(), ['registration:d', 'status:b', 'status:d'], 'each changed value read once');
});
