import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CollectionBackoff, skipsAfter } from '../../../src/daemon/collection-backoff.js';

/** Plays `ticks` ticks where every attempt reads nothing; returns which ticks attempted. */
function attempts(backoff: CollectionBackoff, ticks: number, readNothing = () => true): number[] {
  const out: number[] = [];
  for (let t = 1; t <= ticks; t++) {
    if (!backoff.decide().attempt) continue;
    out.push(t);
    backoff.record(readNothing());
  }
  return out;
}

test('after 3 read-nothing attempts, ticks are skipped 1, 2, then at most 3 at a time', () => {
  const b = new CollectionBackoff({ after: 3, maxSkip: 3 });
  assert.deepEqual(attempts(b, 20), [1, 2, 3, 5, 8, 12, 16, 20]);
  assert.equal(b.active, true);
});

test('a skipped tick says how many attempts failed and when the next one comes', () => {
  const b = new CollectionBackoff({ after: 1, maxSkip: 8 });
  assert.deepEqual(b.decide(), { attempt: true });
  b.record(true);
  assert.deepEqual(b.decide(), { attempt: false, failedAttempts: 1, ticksUntilAttempt: 1 });
  assert.deepEqual(b.decide(), { attempt: true });
});

test('one attempt that reads anything resets the schedule', () => {
  const b = new CollectionBackoff({ after: 2, maxSkip: 4 });
  let n = 0;
  const seq = attempts(b, 10, () => ++n < 4); // attempts 1-3 read nothing, the 4th reads something
  // ticks 1, 2, 4 read nothing (3 skipped, then 5-6); tick 7 reads something: every tick again
  assert.deepEqual(seq, [1, 2, 4, 7, 8, 9, 10]);
  assert.equal(b.active, false);
  assert.equal(b.consecutiveFailures, 0);
});

test('after: 0 never backs off', () => {
  const b = new CollectionBackoff({ after: 0, maxSkip: 3 });
  assert.deepEqual(attempts(b, 6), [1, 2, 3, 4, 5, 6]);
  assert.equal(b.active, false);
  assert.equal(skipsAfter(100, { after: 0, maxSkip: 3 }), 0);
});
