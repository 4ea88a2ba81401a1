// canonicalJson: JSON.stringify's output with every object's keys sorted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { canonicalJson } from '../../../src/snapshot/canonical-json.js';

/** The definition, spelled with JSON.stringify's replacer. */
function reference(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

test('equals JSON.stringify with sorted keys, for any JSON value and for undefined fields', () => {
  const value = fc.oneof(fc.jsonValue(), fc.object({ values: [fc.jsonValue(), fc.constant(undefined), fc.double()] }), fc.array(fc.option(fc.double(), { nil: undefined })));
  // The replacer's copy turns a "__proto__" key into a prototype and loses it; canonicalJson keeps it. Values aside, the same.
  const plain = value.filter((v) => !JSON.stringify(v ?? null).includes('"__proto__"'));
  fc.assert(fc.property(plain, (v) => assert.equal(canonicalJson(v), reference(v))), { numRuns: 2000 });
});

test('key order never matters; nested objects are sorted too', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
  assert.equal(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }));
  // Keys that are array indices come first, by number, as in the stored history.
  assert.equal(canonicalJson({ b: 0, '10': 1, '9': 2, x: -0 }), '{"9":2,"10":1,"b":0,"x":0}');
});

test('objects of one shape share a key order, and shapes that begin alike are told apart', () => {
  for (let i = 0; i < 3; i++) assert.equal(canonicalJson({ s: i, a: 1 }), `{"a":1,"s":${i}}`);
  // The same first key, then another key, more keys, or the same keys in another order.
  assert.equal(canonicalJson({ s: 1, b: 2 }), '{"b":2,"s":1}');
  assert.equal(canonicalJson({ s: 1, a: 2, c: 3 }), '{"a":2,"c":3,"s":1}');
  assert.equal(canonicalJson({ a: 1, s: 2 }), '{"a":1,"s":2}');
  assert.equal(canonicalJson({ s: 1, '7': 2, a: 3 }), '{"7":2,"a":3,"s":1}');
  // Past the number of shapes remembered, every object is still sorted by its own keys.
  for (let i = 0; i < 3000; i++) assert.equal(canonicalJson({ z: i, [`k${i}`]: 2 }), `{"k${i}":2,"z":${i}}`);
  // A map of more keys than a shape keeps, twice.
  const big = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`h${99 - i}`, i]));
  for (let i = 0; i < 2; i++) assert.equal(canonicalJson(big), reference(big));
});
