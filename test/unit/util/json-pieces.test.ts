import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonPieces, writeJson } from '../../../src/util/json-pieces.js';

const joined = (v: unknown): string | undefined => {
  const parts = [...jsonPieces(v)];
  return parts.length ? parts.join('') : undefined;
};

/** A small seeded generator (the same cases on every run). */
function prng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

// Everything JSON.stringify prints its own way: escapes, numbers it prints as null, what it leaves out
// or prints as null, toJSON (Date's and a plain object's, also one answering undefined), boxed values,
// Maps, class instances, a null-prototype object.
const LEAVES: (() => unknown)[] = [
  () => null,
  () => true,
  () => 0,
  () => -0,
  () => 1e21,
  () => 2.5,
  () => NaN,
  () => Infinity,
  () => '',
  () => 'line\nbreak "quoted" \\ tab\t \u2028 é 😀 \u0001',
  () => undefined,
  () => () => 1,
  () => Symbol('s'),
  () => new Date(Date.UTC(2026, 11, 7, 3)),
  () => ({ toJSON: (key: string) => `key ${key}` }),
  () => ({ toJSON: () => undefined }),
  () => new Number(3),
  () => new String('boxed'),
  () => new Map([['a', 1]]),
  () => new Point(1, 2),
  () => Object.assign(Object.create(null) as object, { bare: [1] }),
  () => [],
  () => ({}),
];
const KEYS = ['a', 'b', 'events', '0', '10', 'key with space', 'é', ''];

function randomValue(r: (n: number) => number, depth: number): unknown {
  const pick = r(depth > 5 ? 2 : 6);
  if (pick < 2) return LEAVES[r(LEAVES.length)]!();
  if (pick < 4) return Array.from({ length: r(5) }, () => randomValue(r, depth + 1));
  const out: Record<string, unknown> = {};
  for (let i = r(5); i > 0; i--) out[KEYS[r(KEYS.length)]!] = randomValue(r, depth + 1);
  return out;
}

describe('jsonPieces', () => {
  it('joins to exactly what JSON.stringify(value, null, 2) prints, for 20,000 random values seven levels deep', () => {
    const r = prng(20261207);
    for (let i = 0; i < 20_000; i++) {
      const v = randomValue(r, 0);
      assert.equal(joined(v), JSON.stringify(v, null, 2), JSON.stringify(v));
    }
  });

  it('prints a long answer in many pieces, none of them the whole', () => {
    const answer = { window: { first: 1, last: 2 }, events: Array.from({ length: 1000 }, (_, i) => ({ id: i, at: { by: i + 1 }, tags: ['x'] })) };
    const parts = [...jsonPieces(answer)];
    assert.ok(parts.length > 1000);
    assert.ok(Math.max(...parts.map((p) => p.length)) < 200);
    assert.equal(parts.join(''), JSON.stringify(answer, null, 2));
  });

  it('prints long lists a batch of items at a time, the same text, whatever the items and wherever the list', () => {
    const r = prng(20261208);
    for (let i = 0; i < 40; i++) {
      // 1,001 to 3,500 items: more than one batch, and a last batch of any size.
      const list = Array.from({ length: 1001 + r(2500) }, () => randomValue(r, 3));
      const v = [list, { a: list }, { a: [1, { events: list }] }][r(3)];
      assert.equal(joined(v), JSON.stringify(v, null, 2));
    }
  });

  it('prints large maps a batch of entries at a time, the same text: index-like keys, "__proto__", batches that print nothing', () => {
    const r = prng(20261209);
    for (let i = 0; i < 40; i++) {
      const map: Record<string, unknown> = {};
      const size = 1001 + r(2500);
      // A run of keys whose values JSON.stringify leaves out: sometimes a whole batch of them.
      const silentFrom = r(size);
      const silentTo = silentFrom + r(3) * 700;
      for (let k = 0; k < size; k++) {
        const key = [`k${k}`, String(k * 7), `é ${k}`][r(3)]!;
        map[key] = k >= silentFrom && k < silentTo ? undefined : randomValue(r, 3);
      }
      Object.defineProperty(map, '__proto__', { value: { own: true }, enumerable: true, configurable: true, writable: true });
      map.told = { toJSON: (key: string) => `told ${key}` };
      const v = [map, { a: map }, { a: [1, { statuses: map }] }][r(3)];
      assert.equal(joined(v), JSON.stringify(v, null, 2));
    }
  });

  it('prints a map of 2,500 entries in a few pieces, not one per entry', () => {
    const map = Object.fromEntries(Array.from({ length: 2500 }, (_, i) => [`host-${i}`, { status: 'ONLINE', n: i }]));
    const parts = [...jsonPieces({ map })];
    assert.equal(parts.join(''), JSON.stringify({ map }, null, 2));
    assert.ok(parts.length < 10, `${parts.length} pieces`);
  });

  it('prints a large map none of whose entries print as {}', () => {
    const map = Object.fromEntries(Array.from({ length: 2500 }, (_, i) => [`k${i}`, undefined]));
    assert.equal(joined({ map }), JSON.stringify({ map }, null, 2));
  });

  it("walks a batch holding an item with a toJSON of its own (a slice would tell it another index), in the same text", () => {
    const list: unknown[] = Array.from({ length: 2500 }, (_, i) => ({ i }));
    list[1700] = { toJSON: (key: string) => `item ${key}` };
    const parts = [...jsonPieces({ list })];
    assert.equal(parts.join(''), JSON.stringify({ list }, null, 2));
    assert.ok(parts.includes('"item 1700"'));
  });

  it('gives no piece where JSON.stringify answers undefined, and prints a top-level toJSON', () => {
    assert.deepEqual([...jsonPieces(undefined)], []);
    assert.deepEqual([...jsonPieces(() => 1)], []);
    assert.equal(joined({ toJSON: () => [1, { a: undefined }] }), JSON.stringify({ toJSON: () => [1, { a: undefined }] }, null, 2));
  });
});

describe('writeJson', () => {
  const answer = { window: { first: 1 }, events: Array.from({ length: 30_000 }, (_, i) => ({ id: i, note: 'x'.repeat(40) })) };
  const expected = `${JSON.stringify(answer, null, 2)}\n`;

  it('writes the text whole, once, when it fits in one string', () => {
    const writes: string[] = [];
    writeJson(answer, (t) => writes.push(t));
    assert.deepEqual(writes, [expected]);
  });

  it('writes the same text in pieces of about 1 MiB when it does not (JSON.stringify throws RangeError)', () => {
    const writes: string[] = [];
    const tooLong = () => {
      throw new RangeError('Invalid string length');
    };
    writeJson(answer, (t) => writes.push(t), tooLong);
    assert.equal(writes.join(''), expected);
    assert.ok(writes.length >= 2, `${writes.length} writes`);
    // Each write ends with the piece that took it past 1 MiB: at most a batch of 1,000 items (~70 characters each here).
    assert.ok(writes.slice(0, -1).every((w) => w.length >= 1 << 20 && w.length < (1 << 20) + 1000 * 80));
  });

  it('writes a long answer (over 16 MiB of compact text) in pieces, though its text would fit in one string', () => {
    // ~110 characters an event compact: ~19 MiB.
    const long = { window: { first: 1 }, events: Array.from({ length: 180_000 }, (_, i) => ({ id: i, note: 'x'.repeat(90) })) };
    const writes: string[] = [];
    writeJson(long, (t) => writes.push(t));
    assert.equal(writes.join(''), `${JSON.stringify(long, null, 2)}\n`);
    assert.ok(writes.length >= 2, `${writes.length} writes`);
  });

  it("writes a real answer past V8's longest string (2^29 - 24 characters), which JSON.stringify refuses", () => {
    // One 1 MiB string listed 520 times: ~545 million characters of JSON from a few MiB of memory.
    const mib = 'x'.repeat(1 << 20);
    const huge = { items: Array.from({ length: 520 }, () => mib) };
    assert.throws(() => JSON.stringify(huge, null, 2), RangeError);
    let chars = 0;
    let writes = 0;
    let last = '';
    writeJson(huge, (t) => {
      chars += t.length;
      writes++;
      last = t;
    });
    // '{\n  "items": [\n' + 520 × ('    "' + 1 MiB + '"') joined by ',\n' + '\n  ]\n}\n'
    assert.equal(chars, 15 + 520 * (6 + (1 << 20)) + 519 * 2 + 7);
    assert.ok(writes > 500);
    assert.equal(last, '\n  ]\n}\n');
  });

  it('writes a list whose items include one too long for one string (met while estimating the answer, not thrown)', () => {
    const mib = 'x'.repeat(1 << 20);
    // Item 0 is sampled first: 520 MiB of JSON; the 16 others are short.
    const list: unknown[] = [Array.from({ length: 520 }, () => mib), ...Array.from({ length: 16 }, (_, i) => i)];
    let chars = 0;
    let last = '';
    writeJson({ list }, (t) => {
      chars += t.length;
      last = t;
    });
    // '{\n  "list": [\n    [\n' + 520 × ('      "' + 1 MiB + '"') joined by ',\n' + '\n    ]' + 16 × (',\n    ' + i) + '\n  ]\n}\n'
    const shortItems = Array.from({ length: 16 }, (_, i) => 6 + String(i).length).reduce((a, b) => a + b, 0);
    assert.equal(chars, 20 + 520 * (8 + (1 << 20)) + 519 * 2 + 6 + shortItems + 7);
    assert.equal(last.slice(-11), ',\n    15\n  ]\n}\n'.slice(-11));
  });

  it('lets any other error through', () => {
    assert.throws(() => writeJson({ n: 1n }, () => undefined), TypeError);
  });
});
