import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TickLoop, type Tick } from '../../../src/daemon/tick-loop.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

test('a tick during a running collection is skipped, never run in parallel', async () => {
  const started: Tick[] = [];
  const skipped: [Date, number][] = [];
  const gates: { resolve: () => void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const loop = new TickLoop({
    run: async (tick) => {
      started.push(tick);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const d = deferred();
      gates.push(d);
      await d.promise;
      inFlight--;
    },
    skipped: (at, running) => skipped.push([at, running.seq]),
  });
  loop.onTick(new Date(1000));
  loop.onTick(new Date(2000));
  loop.onTick(new Date(3000));
  assert.equal(started.length, 1);
  assert.deepEqual(skipped.map(([at, seq]) => [at.getTime(), seq]), [[2000, 1], [3000, 1]]);
  gates[0]!.resolve();
  await loop.idle();
  loop.onTick(new Date(4000));
  assert.deepEqual(started.map((t) => [t.seq, t.scheduledAt.getTime()]), [[1, 1000], [2, 4000]]);
  gates[1]!.resolve();
  await loop.idle();
  assert.equal(maxInFlight, 1);
  assert.equal(loop.running, null);
});

test('a failing run frees the loop; a closed loop starts nothing', async () => {
  let runs = 0;
  const loop = new TickLoop({
    run: async () => {
      runs++;
      throw new Error('bug');
    },
    skipped: () => assert.fail('nothing should be skipped'),
  });
  loop.onTick(new Date(1));
  await loop.idle();
  loop.onTick(new Date(2));
  await loop.idle();
  loop.close();
  loop.onTick(new Date(3));
  await loop.idle();
  assert.equal(runs, 2);
});
