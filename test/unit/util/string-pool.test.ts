// StringPool: gives back an equal string, holds each short string once, never
// holds a long one, and starts afresh when full, so that a source sending ever
// new strings cannot grow it past its bound. (Which copy of a string is given
// back is not observable from JavaScript; the memory it saves is measured by
// the bench's daemon section, docs/performance-log.md.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StringPool } from '../../../src/util/string-pool.js';

test('a pooled string equals the string given, and each is held once', () => {
  const pool = new StringPool(100, 64);
  const ids = ['a1b2', 'VM Network', '', '10.0.0.1', 'a1b2', 'VM Network'];
  for (const s of ids) assert.equal(pool.pooled(s), s);
  // Built at run time: equal content, another string than the literal above.
  assert.equal(pool.pooled(['VM', 'Network'].join(' ')), 'VM Network');
  assert.equal(pool.size, 4);
});

test('strings longer than the limit pass through without being held', () => {
  const pool = new StringPool(100, 8);
  const long = 'x'.repeat(9);
  assert.equal(pool.pooled(long), long);
  assert.equal(pool.pooled('x'.repeat(8)), 'xxxxxxxx');
  assert.equal(pool.size, 1);
});

test('a full pool starts afresh instead of growing', () => {
  const pool = new StringPool(10, 64);
  const sizes: number[] = [];
  for (let i = 0; i < 35; i++) {
    assert.equal(pool.pooled(`s${i}`), `s${i}`);
    sizes.push(pool.size);
  }
  assert.ok(Math.max(...sizes) <= 10);
  // 35 distinct strings through a pool of 10: emptied three times, 5 held now.
  assert.equal(pool.size, 5);
  assert.equal(pool.pooled('s34'), 's34');
  assert.equal(pool.size, 5);
});
