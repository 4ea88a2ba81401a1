import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sameJson } from '../../../src/util/same-json.js';

const printedAlike = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A small seeded generator (the same cases on every run). */
function prng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

const LEAVES: unknown[] = [null, true, false, 0, -0, 1, 8835, 2.5, '', 'a', 'VSAN', '0', 'null'];
const KEYS = ['address', 'host', 'port', 'tags', 'id', '0', '10', 'type'];

function randomValue(r: (n: number) => number, depth: number): unknown {
  const pick = r(depth > 2 ? 2 : 5);
  if (pick < 2) return LEAVES[r(LEAVES.length)];
  if (pick === 2) return Array.from({ length: r(4) }, () => randomValue(r, depth + 1));
  const out: Record<string, unknown> = {};
  for (let i = r(4); i > 0; i--) out[KEYS[r(KEYS.length)]!] = randomValue(r, depth + 1);
  return out;
}

/** A copy with at most one small change somewhere (or none), so that equal and unequal pairs both come up often. */
function nearCopy(r: (n: number) => number, v: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(v)) as unknown;
  if (r(3) === 0 || copy === null || typeof copy !== 'object') return r(4) === 0 ? randomValue(r, 0) : copy;
  if (Array.isArray(copy)) {
    if (copy.length && r(2)) copy[r(copy.length)] = randomValue(r, 2);
    else copy.push(randomValue(r, 2));
    return copy;
  }
  const o = copy as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length && r(2)) o[keys[r(keys.length)]!] = nearCopy(r, o[keys[r(keys.length)]!]);
  else o[KEYS[r(KEYS.length)]!] = randomValue(r, 2);
  return o;
}

describe('sameJson', () => {
  it('answers what comparing the two printed would, over thousands of near pairs', () => {
    const r = prng(20261207);
    let alike = 0;
    let unlike = 0;
    for (let i = 0; i < 5000; i++) {
      const a = randomValue(r, 0);
      const b = nearCopy(r, a);
      const expected = printedAlike(a, b);
      assert.equal(sameJson(a, b), expected, `${JSON.stringify(a)} against ${JSON.stringify(b)}`);
      assert.equal(sameJson(b, a), expected);
      if (expected) alike++;
      else unlike++;
    }
    // Both answers were put to the test, many times.
    assert.ok(alike > 1000 && unlike > 1000, `alike ${alike}, unlike ${unlike}`);
  });

  it('compares keys in order, as printed: the same fields in another order differ', () => {
    assert.equal(sameJson({ a: 1, b: 2 }, { b: 2, a: 1 }), false);
    assert.equal(sameJson({ a: 1, b: { c: [1, { d: null }] } }, { a: 1, b: { c: [1, { d: null }] } }), true);
  });

  it('tells an array from an object, a missing field from null, and a number from its text', () => {
    assert.equal(sameJson([], {}), false);
    assert.equal(sameJson({}, []), false);
    assert.equal(sameJson({ 0: 'x' }, ['x']), false);
    assert.equal(sameJson({ a: null }, {}), false);
    assert.equal(sameJson([1], ['1']), false);
    assert.equal(sameJson([1, 2], [1, 2, 3]), false);
    assert.equal(sameJson(null, {}), false);
    assert.equal(sameJson(-0, 0), printedAlike(-0, 0));
  });
});
