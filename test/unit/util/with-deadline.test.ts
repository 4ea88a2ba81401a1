import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withDeadline } from '../../../src/util/with-deadline.js';

describe('withDeadline', () => {
  it('answers the call’s value when it settles in time', async () => {
    assert.equal(await withDeadline<string>(1000, (settle) => setTimeout(() => settle('done'), 5), () => 'late'), 'done');
  });

  it('answers the timeout value when the call does not settle, and ignores a late answer', async () => {
    let lateSettle: (v: string) => void = () => {};
    const t0 = performance.now();
    const v = await withDeadline<string>(30, (settle) => (lateSettle = settle), () => 'timed out');
    assert.equal(v, 'timed out');
    assert.ok(performance.now() - t0 >= 25);
    lateSettle('too late'); // must not throw or change anything
  });

  it('settles once when the call answers twice', async () => {
    assert.equal(await withDeadline<number>(1000, (settle) => (settle(1), settle(2)), () => 0), 1);
  });
});
