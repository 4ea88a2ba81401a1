// One tick of the daemon: decide (backoff), collect within the budget, and
// record the outcome as one snapshot, whatever happened. Only a failure to
// write leaves the tick unrecorded, and that is reported, never thrown.
import type { CollectOptions } from '../collect/collect.js';
import type { CollectionSummary } from '../collect/collection-summary.js';
import type { Observation } from '../model/observation.js';
import { sourceError } from '../model/source-error.js';
import { readingsOf } from '../snapshot/source-registry.js';
import { formatDuration } from '../util/time.js';
import type { RecordedCollection } from '../record/index.js';
import type { WriteResult } from '../store/index.js';
import type { CollectionBackoff } from './collection-backoff.js';
import { zkConnectTimeoutMs } from './collection-budget.js';
import type { Tick } from './tick-loop.js';
import { tickOutcome, type TickOutcome, type TickPath } from './tick-outcome.js';
import { unreadObservation } from './unread-observation.js';
import type { Collector, DaemonCollectOptions } from './collector.js';
import type { WatchBuffer } from './watch-buffer.js';
import type { TickWriter, TickWritten } from './tick-writer.js';

export interface TickContext {
  /** The history the tick is recorded in (tick-writer.ts). */
  writer: TickWriter;
  collector: Collector;
  backoff: CollectionBackoff;
  collectOptions: CollectOptions;
  budgetMs: number;
  /** Aborted when the daemon stops and gives up on the running collection. */
  stop: AbortSignal;
  now: () => number;
  /** What the watcher saw between ticks, when the daemon watches. */
  watch?: WatchBuffer;
}

export type TickReport =
  | {
      recorded: true;
      tick: Tick;
      outcome: TickOutcome;
      observation: Observation;
      written: WriteResult;
      summary: CollectionSummary;
    }
  | { recorded: false; tick: Tick; outcome: TickOutcome; durationMs: number; error: string };

function collectable(opts: CollectOptions): DaemonCollectOptions {
  const { onProbeProgress: _progress, now: _now, signal: _signal, ...rest } = opts;
  return rest;
}

async function observe(ctx: TickContext): Promise<{ path: TickPath; observation: Observation }> {
  const decision = ctx.backoff.decide();
  if (!decision.attempt) {
    const t = ctx.now();
    const message = `not attempted: the last ${decision.failedAttempts} collections read nothing; next attempt in ${decision.ticksUntilAttempt} tick(s)`;
    return { path: 'backoff', observation: unreadObservation(t, t, sourceError('backoff', message)) };
  }
  const options = {
    ...collectable(ctx.collectOptions),
    // A hint for when ZooKeeper cannot say: a history out of reach gives none, and the tick goes on.
    lastKnownLeaders: await ctx.writer.leaders().catch(() => ({})),
    zkConnectTimeoutMs: zkConnectTimeoutMs(ctx.collectOptions.connectTimeoutMs, ctx.budgetMs),
  };
  const r = await ctx.collector.collect(options, ctx.budgetMs, ctx.stop);
  if (r.kind === 'observed') {
    ctx.backoff.record(readNothing(r.observation));
    return { path: 'collected', observation: r.observation };
  }
  // Abandoned or crashed attempts say nothing about reachability (too slow, or a bug): they neither feed nor reset backoff.
  if (r.kind === 'abandoned') {
    const message =
      r.reason === 'budget'
        ? `abandoned: the collection outlived its budget of ${formatDuration(ctx.budgetMs)}`
        : 'abandoned: treesnap stopped before the collection finished';
    return { path: 'abandoned', observation: unreadObservation(r.startedAt, r.endedAt, sourceError('abandoned', message)) };
  }
  const message = `abandoned: the collection failed (${r.message})`;
  return { path: 'crashed', observation: unreadObservation(r.startedAt, r.endedAt, sourceError('abandoned', message)) };
}

export function readNothing(obs: Observation): boolean {
  return readingsOf(obs).every((r) => !r.result.ok);
}

/** A tick and, when it was recorded, the drift at the head after it. */
export interface TickRun {
  report: TickReport;
  drift: RecordedCollection['drift'] | null;
}

export async function runTick(ctx: TickContext, tick: Tick): Promise<TickRun> {
  const { path, observation } = await observe(ctx);
  let recorded: TickWritten;
  const watched = ctx.watch?.take(observation.startedAt);
  try {
    recorded = await ctx.writer.record(observation, watched, tick);
  } catch (e) {
    if (watched) ctx.watch!.putBack(watched);
    const code = (e as { code?: string }).code;
    const error = `${e instanceof Error ? e.message : String(e)}${code ? ` (${code})` : ''}`;
    const all = readingsOf(observation);
    const failedSources = all.filter((r) => !r.result.ok);
    const outcome = tickOutcome(path, { failedSources, sources: all });
    return { report: { recorded: false, tick, outcome, durationMs: observation.finishedAt - observation.startedAt, error }, drift: null };
  }
  const { written, summary, drift } = recorded;
  return { report: { recorded: true, tick, outcome: tickOutcome(path, summary), observation, written, summary }, drift };
}
