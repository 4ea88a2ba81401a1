import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apply, diff } from '../../../src/daemon/value-patch.js';

/** The value a patch describes after crossing a thread (structured clone), as the daemon applies it. */
const across = (previous: unknown, next: unknown) => apply(previous, structuredClone(diff(previous, next)));

/** Equal, with the same key order at every level (deepStrictEqual ignores key order). */
function sameValue(actual: unknown, expected: unknown): void {
  assert.deepStrictEqual(actual, expected);
  assert.equal(JSON.stringify(actual), JSON.stringify(expected));
}

test('an unchanged value is an empty patch, and applying it returns the held value itself', () => {
  const v = { a: [1, { b: 'x' }], c: null, d: undefined };
  assert.equal(diff(v, structuredClone(v)), null);
  assert.equal(across(v, structuredClone(v)), v);
});

test('changes at any depth come back equal, with key order kept, and unchanged parts shared with the held value', () => {
  const prev = { status: { h1: { address: { host: 'a', port: 1 }, status: 'ONLINE', latencyMs: 0.3 }, h2: { address: null, status: 'UNKNOWN', latencyMs: null } }, list: [{ id: 1 }, { id: 2 }] };
  const next = structuredClone(prev);
  next.status.h1.latencyMs = 0.4;
  next.list[1]!.id = 3;
  const got = across(prev, next) as typeof prev;
  sameValue(got, next);
  assert.equal(got.status.h2, prev.status.h2);
  assert.equal(got.status.h1.address, prev.status.h1.address);
  assert.equal(got.list[0], prev.list[0]);
  assert.equal(prev.status.h1.latencyMs, 0.3, 'the held value is left untouched');
});

test('new keys, reordered keys, removed keys, other lengths, optional fields and type changes are sent whole', () => {
  const prev = { r: { a: 1, b: 2 }, arr: [1, 2, 3], opt: { message: 'x', latencyMs: 1 }, t: [1], n: NaN };
  const cases: unknown[] = [
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
    { ok: false, error: { kind: 'timeout', message: 'x' } },
  ];
  for (const next of cases) sameValue(across(prev, next), next);
  assert.deepEqual(Object.keys(across(prev, { ...prev, opt: { message: undefined, latencyMs: 1 } }) as object), Object.keys(prev));
});

test('a key named __proto__ is data, as structured clone keeps it', () => {
  const prev = JSON.parse('{"__proto__": {"status": "ONLINE"}, "h2": {"status": "ONLINE"}}') as Record<string, unknown>;
  const next = JSON.parse('{"__proto__": {"status": "OFFLINE"}, "h2": {"status": "ONLINE"}}') as Record<string, unknown>;
  const got = across(prev, next) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(got), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(got, '__proto__')?.value, { status: 'OFFLINE' });
});
