// The synchronous PostgreSQL session's wait (pg-sync.ts waitForFlag): a late
// notify left over from the previous reply wakes the thread before the flag is
// set; the wait must go on until the flag says the reply is on the port.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { waitForFlag } from '../../../src/store/postgres/pg-sync.js';

/** A thread that notifies the flag without setting it after `notifyMs`, then sets and notifies it after `setMs`. */
function lateNotifier(flag: Int32Array, notifyMs: number, setMs: number): Worker {
  const code = `
    const { workerData } = require('node:worker_threads');
    const flag = new Int32Array(workerData.buffer);
    const pause = new Int32Array(new SharedArrayBuffer(4));
    Atomics.wait(pause, 0, 0, workerData.notifyMs);
    Atomics.notify(flag, 0);
    Atomics.wait(pause, 0, 0, workerData.setMs - workerData.notifyMs);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);`;
  return new Worker(code, { eval: true, workerData: { buffer: flag.buffer, notifyMs, setMs } });
}

test('a wake-up without the flag set is waited through: the wait ends when the flag is set', async () => {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = lateNotifier(flag, 150, 450);
  assert.equal(waitForFlag(flag, 10_000), true);
  assert.equal(Atomics.load(flag, 0), 1, 'the reply is there when the wait ends, not at the notify that came without it');
  await worker.terminate();
});

test('a flag never set ends the wait at its bound, as a failure', async () => {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = lateNotifier(flag, 50, 60_000);
  assert.equal(waitForFlag(flag, 400), false);
  await worker.terminate();
});
