// Runs collections for the daemon, in its own thread, within a budget. A
// collection that outlives its budget, or that the daemon gives up while
// stopping, is abandoned: its connections are closed at once and none is
// opened after (collect()'s signal, src/sources/connection-scope.ts), so it
// ends within moments, and nothing of it is written.
//
// It ran in a worker thread until 2026-12-06, so that terminating the worker
// closed an abandoned collection's sockets. The second V8 heap and the
// observation held on both sides cost ~45 MiB of RSS at 5,000 hosts (steady
// 201-205 -> 156-157 MiB, peak 209-215 -> 163-164, for ~0.1 CPU-s per tick
// more; docs/performance-log.md, "Daemon").
import { collect, type CollectOptions } from '../collect/collect.js';
import type { Observation } from '../model/observation.js';
import { shareUnchanged } from './share-unchanged.js';

/** What the daemon passes to each collection: its callbacks and signal are the collector's own. */
export type DaemonCollectOptions = Omit<CollectOptions, 'onProbeProgress' | 'now' | 'signal'>;

export type CollectOutcome =
  | { kind: 'observed'; observation: Observation }
  | { kind: 'abandoned'; reason: 'budget' | 'stopping'; startedAt: number; endedAt: number }
  /** collect() threw: a bug (it reports every source failure as a value), reported as such. */
  | { kind: 'crashed'; message: string; startedAt: number; endedAt: number };

export interface Collector {
  collect(options: DaemonCollectOptions, budgetMs: number, stop: AbortSignal): Promise<CollectOutcome>;
  close(): Promise<void>;
}

type Finished = { kind: 'observed'; observation: Observation } | { kind: 'crashed'; message: string };

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

export class InThreadCollector implements Collector {
  /** The last observation returned, which the next shares its unchanged parts with. */
  private held: Observation | null = null;

  async collect(options: DaemonCollectOptions, budgetMs: number, stop: AbortSignal): Promise<CollectOutcome> {
    const startedAt = Date.now();
    if (stop.aborted) return { kind: 'abandoned', reason: 'stopping', startedAt, endedAt: startedAt };
    const giveUp = new AbortController();
    const collecting = collect({ ...options, signal: giveUp.signal }).then(
      (observation): Finished => ({ kind: 'observed', observation }),
      (e: unknown): Finished => ({ kind: 'crashed', message: e instanceof Error ? e.message : String(e) }),
    );
    const r = await beforeDeadline(collecting, startedAt + budgetMs, stop);
    if (r === 'budget' || r === 'stopping') {
      giveUp.abort();
      return { kind: 'abandoned', reason: r, startedAt, endedAt: Date.now() };
    }
    if (r.kind === 'crashed') return { ...r, startedAt, endedAt: Date.now() };
    this.held = shareUnchanged(this.held, r.observation);
    return { kind: 'observed', observation: this.held };
  }

  async close(): Promise<void> {
    this.held = null;
  }
}
