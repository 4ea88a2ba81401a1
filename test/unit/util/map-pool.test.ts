import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapPool } from '../../../src/util/map-pool.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('mapPool', () => {
  it('keeps input order whatever order the calls finish in', async () => {
    const out = await mapPool([30, 10, 20, 0], 4, async (ms, i) => {
      await tick(ms);
      return `${i}:${ms}`;
    });
    assert.deepEqual(out, ['0:30', '1:10', '2:20', '3:0']);
  });

  it('never has more than `limit` calls in flight, and uses all of them', async () => {
    let inFlight = 0;
    let peak = 0;
    await mapPool(Array.from({ length: 50 }, (_, i) => i), 7, async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await tick(1);
      inFlight--;
    });
    assert.equal(peak, 7);
  });

  it('handles no items and a limit above the item count', async () => {
    assert.deepEqual(await mapPool([], 5, async () => 1), []);
    assert.deepEqual(await mapPool([1, 2], 100, async (x) => x * 2), [2, 4]);
  });

  it('rejects a limit that is not a positive integer', async () => {
    await assert.rejects(mapPool([1], 0, async (x) => x), RangeError);
    await assert.rejects(mapPool([1], 1.5, async (x) => x), RangeError);
  });
});
