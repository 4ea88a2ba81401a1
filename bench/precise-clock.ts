// Callbacks at a time given to a fraction of a millisecond, for the latency
// proxy. Node's timers count whole milliseconds (setTimeout(f, 0.25) waits
// 1 ms), and waiting by spinning the event loop would take a core from the
// processes being measured on a 2-core machine. So a worker thread sleeps in
// Atomics.wait until the earliest due time (its timeout takes fractions of a
// millisecond; see WORKER for its lateness) and then wakes this thread with a message, which runs every
// callback due, earliest first.
import { getPriority, setPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';

/** Milliseconds on one clock shared by both threads (each thread's performance.now() has its own origin). */
/**
 * The nice value of the threads that stand for the network (proxies, delayed connects) where permitted: the
 * machine is shared, and a network does not wait for a CPU. The processes measured keep their own.
 */
export const PROXY_PRIORITY = -10;

export function clockNow(): number {
  return performance.timeOrigin + performance.now();
}

// ctl[0]: bumped by the main thread whenever `due` changes; ctl[1]: 1 to stop. due[0]: earliest due time, or Infinity.
// A timed Atomics.wait wakes about 0.1 ms late here (the kernel's timer slack), which would add 0.2 ms to every
// round trip; so the worker sleeps until `lead` before the due time, `lead` being the lateness it has seen
// (a running average), and spins the few microseconds left.
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const ctl = new Int32Array(workerData, 0, 2);
const due = new Float64Array(workerData, 8, 1);
const now = () => performance.timeOrigin + performance.now();
let lead = 0.08;
while (Atomics.load(ctl, 1) === 0) {
  const seq = Atomics.load(ctl, 0);
  const d = due[0];
  if (d === Infinity) {
    Atomics.wait(ctl, 0, seq);
    continue;
  }
  const sleep = d - lead - now();
  if (sleep > 0) {
    const wake = now() + sleep;
    if (Atomics.wait(ctl, 0, seq, sleep) === 'timed-out') lead = Math.min(0.3, 0.9 * lead + 0.1 * Math.max(0, now() - wake));
    continue;
  }
  while (now() < d && Atomics.load(ctl, 1) === 0) {}
  parentPort.postMessage(0);
  Atomics.wait(ctl, 0, seq); // until the main thread has run what was due and set the next time
}
`;

interface Entry {
  due: number;
  seq: number;
  run: () => void;
}

export class PreciseClock {
  private readonly shared = new SharedArrayBuffer(16);
  private readonly ctl = new Int32Array(this.shared, 0, 2);
  private readonly due = new Float64Array(this.shared, 8, 1);
  /** Sorted by (due, seq): equal times run in the order they were scheduled. */
  private readonly entries: Entry[] = [];
  private seq = 0;
  private readonly worker: Worker;

  /**
   * `priority`: a nice value for the worker thread (it inherits the creating thread's, which is set for the
   * moment and restored): on a machine loaded by other work, a waiting network does not queue for a CPU.
   * Ignored where not permitted.
   */
  constructor(priority?: number) {
    this.due[0] = Infinity;
    const before = getPriority();
    const raised = priority !== undefined && trySetPriority(priority);
    try {
      this.worker = new Worker(WORKER, { eval: true, workerData: this.shared });
    } finally {
      if (raised) setPriority(before);
    }
    this.worker.on('message', () => this.runDue());
    this.worker.unref();
  }

  /** Runs `run` at `due` (clockNow() time) or as soon after as this thread is free. */
  at(due: number, run: () => void): void {
    const entry = { due, seq: this.seq++, run };
    let i = this.entries.length;
    while (i > 0 && this.entries[i - 1]!.due > due) i--; // nearly always appends: delays are equal
    this.entries.splice(i, 0, entry);
    if (i === 0) this.publish();
  }

  /** Ends the worker thread; pending callbacks are dropped. */
  async close(): Promise<void> {
    this.entries.length = 0;
    Atomics.store(this.ctl, 1, 1);
    Atomics.add(this.ctl, 0, 1);
    Atomics.notify(this.ctl, 0);
    await this.worker.terminate();
  }

  private runDue(): void {
    const now = clockNow();
    while (this.entries.length > 0 && this.entries[0]!.due <= now) this.entries.shift()!.run();
    this.publish();
  }

  private publish(): void {
    this.due[0] = this.entries[0]?.due ?? Infinity;
    // A pending callback keeps the process alive, as a pending setTimeout would.
    if (this.entries.length > 0) this.worker.ref();
    else this.worker.unref();
    Atomics.add(this.ctl, 0, 1);
    Atomics.notify(this.ctl, 0);
  }
}

/** Linux applies a nice value to the calling thread only; threads and processes started meanwhile inherit it. */
export function trySetPriority(priority: number): boolean {
  try {
    setPriority(priority);
    return true;
  } catch {
    return false;
  }
}
