// Runs collections in a worker thread with a budget. A collection that
// outlives its budget, or that the daemon abandons while stopping, is ended by
// terminating the worker (its sockets close with it) and is reported as
// abandoned: nothing of it is written. A fresh worker is started right away so
// the next tick does not pay for it.
import type { Worker } from 'node:worker_threads';
import type { Observation } from '../model/observation.js';
import { err, ok, type Result } from '../model/result.js';
import type { FromWorker, ToWorker, WorkerCollectOptions, WorkerHeap } from './collection-worker-protocol.js';
import { spawnModuleWorker } from '../util/spawn-worker.js';
import { apply } from './value-patch.js';

export type CollectOutcome =
  /** workerHeap: the collecting thread's V8 heap as it finished, when it is not the daemon's own thread. */
  | { kind: 'observed'; observation: Observation; workerHeap?: WorkerHeap }
  | { kind: 'abandoned'; reason: 'budget' | 'stopping'; startedAt: number; endedAt: number }
  /** The worker died or collect() threw: a bug, reported as such. */
  | { kind: 'crashed'; message: string; startedAt: number; endedAt: number };

export interface Collector {
  /** Ready to collect (the worker has loaded), or why not. */
  start(): Promise<Result<void, string>>;
  collect(options: WorkerCollectOptions, budgetMs: number, stop: AbortSignal): Promise<CollectOutcome>;
  close(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

/**
 * A collection allocates about 50 MiB and keeps little: with V8's default young
 * generation (48 MiB here) the worker's heap swung between 65 and 115 MiB per
 * tick at 5,000 hosts, with 4 MiB between 45 and 65 at the same CPU.
 */
const WORKER_YOUNG_GENERATION_MB = 4;

/** The worker's entry, from source or from the bundle (src/util/spawn-worker.ts). */
function spawnWorker(): Worker {
  const resourceLimits = { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB };
  return spawnModuleWorker(import.meta.url, './collection-worker.ts', '../daemon/collection-worker.js', { resourceLimits });
}

function waitReady(worker: Worker): Promise<Result<void, string>> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(err(`collection worker not ready within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    const onMessage = (m: FromWorker) => m.type === 'ready' && finish(ok(undefined));
    const onError = (e: Error) => finish(err(`collection worker failed to start: ${e.message}`));
    const onExit = (code: number) => finish(err(`collection worker exited with code ${code} while starting`));
    function finish(r: Result<void, string>): void {
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      resolve(r);
    }
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
}

/** `p`, unless the deadline passes or `stop` aborts first. */
function beforeDeadline<T>(p: Promise<T>, deadline: number, stop: AbortSignal): Promise<T | 'budget' | 'stopping'> {
  if (stop.aborted) return Promise.resolve('stopping');
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish('budget'), Math.max(0, deadline - Date.now()));
    const onAbort = () => finish('stopping');
    function finish(r: T | 'budget' | 'stopping'): void {
      clearTimeout(timer);
      stop.removeEventListener('abort', onAbort);
      resolve(r);
    }
    stop.addEventListener('abort', onAbort);
    void p.then(finish);
  });
}

export class WorkerCollector implements Collector {
  private worker: Promise<Result<Worker, string>> | null = null;
  private nextId = 1;
  /** The last observation received, which the worker's next may be a patch against; its parts are shared with it. */
  private held: { id: number; observation: Observation } | null = null;

  /** Starts the worker and waits until it has loaded: a broken install fails at startup, not at the first tick. */
  async start(): Promise<Result<void, string>> {
    const w = await this.ensureWorker();
    return w.ok ? ok(undefined) : w;
  }

  async collect(options: WorkerCollectOptions, budgetMs: number, stop: AbortSignal): Promise<CollectOutcome> {
    const startedAt = Date.now();
    // The budget covers the whole tick, including waiting for a worker still starting after an abandon.
    const deadline = startedAt + budgetMs;
    const ready = await beforeDeadline(this.ensureWorker(), deadline, stop);
    if (ready === 'budget' || ready === 'stopping') return { kind: 'abandoned', reason: ready, startedAt, endedAt: Date.now() };
    if (!ready.ok) {
      this.worker = null;
      return { kind: 'crashed', message: ready.error, startedAt, endedAt: Date.now() };
    }
    const worker = ready.value;
    const id = this.nextId++;
    const outcome = await new Promise<CollectOutcome | { kind: 'abandon'; reason: 'budget' | 'stopping' }>((resolve) => {
      const timer = setTimeout(() => finish({ kind: 'abandon', reason: 'budget' }), Math.max(0, deadline - Date.now()));
      const onAbort = () => finish({ kind: 'abandon', reason: 'stopping' });
      const onMessage = (m: FromWorker) => {
        if (m.type === 'observation' && m.id === id) finish(this.received(m, startedAt));
        if (m.type === 'crashed' && m.id === id) finish({ kind: 'crashed', message: m.message, startedAt, endedAt: Date.now() });
      };
      const onError = (e: Error) => finish({ kind: 'crashed', message: `collection worker: ${e.message}`, startedAt, endedAt: Date.now() });
      const onExit = (code: number) =>
        finish({ kind: 'crashed', message: `collection worker exited with code ${code}`, startedAt, endedAt: Date.now() });
      function finish(r: CollectOutcome | { kind: 'abandon'; reason: 'budget' | 'stopping' }): void {
        clearTimeout(timer);
        stop.removeEventListener('abort', onAbort);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        resolve(r);
      }
      if (stop.aborted) return finish({ kind: 'abandon', reason: 'stopping' });
      stop.addEventListener('abort', onAbort);
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage({ type: 'collect', id, base: this.held?.id ?? 0, options } satisfies ToWorker);
    });
    if (outcome.kind === 'observed') return outcome;
    // Abandoned or crashed: this worker may still hold sockets or be broken; end it.
    await this.replaceWorker(worker, !stop.aborted);
    if (outcome.kind === 'crashed') return outcome;
    return { kind: 'abandoned', reason: outcome.reason, startedAt, endedAt: Date.now() };
  }

  /** The observation a reply describes, held as the next one's base. */
  private received(m: Extract<FromWorker, { type: 'observation' }>, startedAt: number): CollectOutcome {
    const base = m.base === 0 ? undefined : this.held?.id === m.base ? this.held.observation : null;
    this.held = null;
    if (base === null) return { kind: 'crashed', message: `collection worker patched observation ${m.base}, which the daemon does not hold`, startedAt, endedAt: Date.now() };
    const observation = apply(base, m.patch) as Observation;
    this.held = { id: m.id, observation };
    return { kind: 'observed', observation, workerHeap: m.heap };
  }

  async close(): Promise<void> {
    this.held = null;
    const w = this.worker;
    this.worker = null;
    const r = await w;
    if (r?.ok) await r.value.terminate();
  }

  private ensureWorker(): Promise<Result<Worker, string>> {
    if (this.worker) return this.worker;
    const starting = (async (): Promise<Result<Worker, string>> => {
      const worker = spawnWorker();
      // Always listened to: an unhandled 'error' on a Worker would throw in the daemon.
      // A worker that dies between ticks is forgotten so the next tick starts a new one.
      worker.on('error', () => undefined);
      worker.once('exit', () => {
        if (this.worker === starting) {
          this.worker = null;
          this.held = null;
        }
      });
      const ready = await waitReady(worker);
      if (ready.ok) return ok(worker);
      await worker.terminate();
      return ready;
    })();
    this.worker = starting;
    return starting;
  }

  private async replaceWorker(old: Worker, respawn: boolean): Promise<void> {
    this.worker = null;
    this.held = null;
    await old.terminate();
    if (respawn) void this.ensureWorker();
  }
}
