import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodedValues } from '../../../src/snapshot/encoded-facts.js';

function counting() {
  let calls = 0;
  const encode = (f: { v: number }) => {
    calls++;
    return JSON.stringify(f.v);
  };
  return { encode, calls: () => calls };
}

test('a reading seen before hands back its values without encoding them again', () => {
  const reading = { ok: true, value: [1, 2, 3] };
  const { encode, calls } = counting();
  const first = encodedValues(reading, reading.value.map((v) => ({ v })), encode);
  const again = encodedValues(reading, reading.value.map((v) => ({ v })), encode);
  assert.deepEqual(first, ['1', '2', '3']);
  assert.equal(again, first);
  assert.equal(calls(), 3);
});

test('another reading with equal content is encoded: identity, not content, is what is remembered', () => {
  const { encode, calls } = counting();
  encodedValues({ value: [1] }, [{ v: 1 }], encode);
  assert.deepEqual(encodedValues({ value: [1] }, [{ v: 1 }], encode), ['1']);
  assert.equal(calls(), 2);
});

test('a remembered reading with another number of facts is encoded afresh', () => {
  const reading = {};
  const { encode } = counting();
  encodedValues(reading, [{ v: 1 }], encode);
  assert.deepEqual(encodedValues(reading, [{ v: 1 }, { v: 2 }], encode), ['1', '2']);
});

test('without a reading nothing is remembered', () => {
  const { encode, calls } = counting();
  encodedValues(undefined, [{ v: 1 }], encode);
  encodedValues(undefined, [{ v: 1 }], encode);
  assert.equal(calls(), 2);
});
