// Callbacks at a time given to a fraction of a millisecond, for the latency
// proxy. Node's timers count whole milliseconds (setTimeout(f, 0.25) waits
// 1 ms), and waiting by spinning the event loop would take a core from the
// processes being measured on a 2-core machine. So a worker thread sleeps in
// Atomics.wait until the earliest due time (its timeout takes fractions of a
// millisecond; see WORKER for its lateness) and then wakes this thread with a message, which runs every
// callback due, earliest first.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';

/** Milliseconds on one clock shared by both threads (each thread's performance.now() has its own origin). */
export function clockNow(): number {
  return performance.timeOrigin + performance.now();
}

// ctl[0]: bumped by the main thread whenever `due` changes; ctl[1]: 1 to stop. due[0]: earliest due time, or Infinity.
// A timed Atomics.wait wakes somewhat late (about 0.1 ms at normal priority: the kernel's timer slack); the
// proxies and the delayed connects are calibrated for what they add by themselves instead of spinning here
// (spinning cost the proxies 0.3-1.8 s of CPU per collection, on the cores the collectors use). Each wake runs
// everything due within TOLERANCE_MS: many probes connect microseconds apart, and one wake serves them all.
export const TOLERANCE_MS = 0.03;

const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const ctl = new Int32Array(workerData, 0, 2);
const due = new Float64Array(workerData, 8, 1);
const now = () => performance.timeOrigin + performance.now();
while (Atomics.load(ctl, 1) === 0) {
  const seq = Atomics.load(ctl, 0);
  const sleep = due[0] - now();
  if (sleep === Infinity) Atomics.wait(ctl, 0, seq);
  else if (sleep > ${TOLERANCE_MS}) Atomics.wait(ctl, 0, seq, sleep);
  else {
    parentPort.postMessage(0);
    Atomics.wait(ctl, 0, seq); // until the main thread has run what was due and set the next time
  }
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
  /** While runDue runs callbacks: what they schedule is published once, at its end (each publish wakes the worker). */
  private running = false;
  private readonly worker: Worker;

  /**
   * `realtime`: where permitted, the worker thread runs at real-time priority (network-priority.ts says why),
   * found as the thread this constructor starts. Ignored where not permitted.
   */
  constructor(options: { realtime?: boolean } = {}) {
    this.due[0] = Infinity;
    const before = options.realtime ? threadIds() : null;
    this.worker = new Worker(WORKER, { eval: true, workerData: this.shared });
    if (before) for (const tid of threadIds()) if (!before.has(tid)) raiseThread(tid);
    this.worker.on('message', () => this.runDue());
    this.worker.unref();
  }

  /** Runs `run` at `due` (clockNow() time) or as soon after as this thread is free. */
  at(due: number, run: () => void): void {
    const entry = { due, seq: this.seq++, run };
    let i = this.entries.length;
    while (i > 0 && this.entries[i - 1]!.due > due) i--; // nearly always appends: delays are equal
    this.entries.splice(i, 0, entry);
    if (i === 0 && !this.running) this.publish();
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
    const now = clockNow() + TOLERANCE_MS;
    this.running = true;
    try {
      while (this.entries.length > 0 && this.entries[0]!.due <= now) this.entries.shift()!.run();
    } finally {
      this.running = false;
    }
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

function threadIds(): Set<string> {
  try {
    return new Set(readdirSync('/proc/self/task'));
  } catch {
    return new Set();
  }
}

/** SCHED_FIFO for one thread, through util-linux's chrt; nothing where that is not permitted. */
function raiseThread(tid: string): void {
  spawnSync('chrt', ['-R', '-f', '-p', '10', tid], { stdio: 'ignore' });
}
