// shareUnchanged: the observation the daemon records is deep-equal to the one
// collected, key order included, and holds the previous observation's own
// objects wherever nothing changed (the record stage's memo of encoded facts
// is keyed by them).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { shareUnchanged } from '../../../src/daemon/share-unchanged.js';

/** Equal, with the same key order at every level (deepStrictEqual ignores key order). */
function sameValue(actual: unknown, expected: unknown): void {
  assert.deepStrictEqual(actual, expected);
  assert.equal(JSON.stringify(actual), JSON.stringify(expected));
}

test('an unchanged value is the previous value itself', () => {
  const v = { a: [1, { b: 'x' }], c: null, d: undefined };
  assert.equal(shareUnchanged(v, structuredClone(v)), v);
});

test('changes at any depth are kept, with key order, and unchanged parts are the previous value\'s own', () => {
  const prev = { status: { h1: { address: { host: 'a', port: 1 }, status: 'ONLINE', latencyMs: 0.3 }, h2: { address: null, status: 'UNKNOWN', latencyMs: null } }, list: [{ id: 1 }, { id: 2 }] };
  const next = structuredClone(prev);
  next.status.h1.latencyMs = 0.4;
  next.list[1]!.id = 3;
  const expected = structuredClone(next);
  const got = shareUnchanged(prev, next);
  sameValue(got, expected);
  assert.equal(got.status.h2, prev.status.h2);
  assert.equal(got.status.h1.address, prev.status.h1.address);
  assert.equal(got.list[0], prev.list[0]);
  assert.notEqual(got.status.h1, prev.status.h1);
  assert.equal(prev.status.h1.latencyMs, 0.3, 'the previous value is left untouched');
});

test('new, reordered and removed keys, other lengths, optional fields and type changes are taken as they come', () => {
  const prev = { r: { a: 1, b: 2 }, arr: [1, 2, 3], opt: { message: 'x', latencyMs: 1 }, t: [1], n: NaN, buf: Buffer.from('ab') };
  const cases: Record<string, unknown>[] = [
    { ...prev, r: { b: 2, a: 1 } },
    { ...prev, r: { a: 1 } },
    { ...prev, r: { a: 1, b: 2, c: 3 } },
    { ...prev, arr: [1, 2] },
    { ...prev, arr: [1, 2, 3, 4] },
    { ...prev, opt: { latencyMs: 1 } },
    { ...prev, opt: { message: undefined, latencyMs: 1 } },
    { ...prev, t: { 0: 1 } },
    { ...prev, n: 0 },
    { ...prev, arr: null },
    { ...prev, buf: Buffer.from('ab') }, // not plain data: compared by identity, taken as it comes
    { ok: false, error: { kind: 'timeout', message: 'x' } },
  ];
  for (const next of cases) {
    const expected = { ...next };
    const got = shareUnchanged(prev, next);
    sameValue(got, expected);
    assert.notEqual(got, prev);
  }
  const buf = Buffer.from('ab');
  assert.equal(shareUnchanged({ b: buf }, { b: Buffer.from('ab') }).b === buf, false);
});

test('a key named __proto__ stays data', () => {
  const prev = JSON.parse('{"__proto__": {"status": "ONLINE"}, "h2": {"status": "ONLINE"}}') as Record<string, unknown>;
  const next = JSON.parse('{"__proto__": {"status": "ONLINE"}, "h2": {"status": "OFFLINE"}}') as Record<string, unknown>;
  const got = shareUnchanged(prev, next);
  assert.equal(Object.getPrototypeOf(got), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(got, '__proto__')?.value, Object.getOwnPropertyDescriptor(prev, '__proto__')?.value);
  assert.deepEqual(got.h2, { status: 'OFFLINE' });
});

/** fromEntries defines own properties: a key named __proto__ stays data. */
const withObjectPrototype = (d: object): Record<string, unknown> => Object.fromEntries(Object.entries(d));

/** A JSON-like value and a copy of it changed at random places (or not at all). */
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constantFrom(null, true, 0, 1.5, 'a', 'b'), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  // fast-check's dictionaries have no prototype; an observation's objects have Object's.
  object: fc.dictionary(fc.constantFrom('a', 'b', 'c', '__proto__'), tie('value'), { maxKeys: 3 }).map(withObjectPrototype),
})).value;


function mutate(v: unknown, pick: () => number): unknown {
  if (pick() < 0.1) return pick() < 0.5 ? 'changed' : [v];
  if (Array.isArray(v)) return v.map((x) => mutate(x, pick));
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mutate(x, pick)]));
  }
  return v;
}

test('any value: deep-equal to the new one, the previous one untouched, and each unchanged part shared', () => {
  fc.assert(
    fc.property(json, fc.integer(), (prev, seed) => {
      let s = seed;
      const pick = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
      const next = mutate(prev, pick);
      const prevText = JSON.stringify(prev);
      const expected = structuredClone(next);
      const got = shareUnchanged(prev, next);
      sameValue(got, expected);
      assert.equal(JSON.stringify(prev), prevText);
      if (prevText === JSON.stringify(expected) && typeof prev === 'object' && prev !== null) assert.equal(got, prev);
    }),
    { numRuns: 2000 },
  );
});
