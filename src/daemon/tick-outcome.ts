// What one tick amounted to (pure), for its log line and metrics.
export type TickOutcome =
  /** every source read */
  | 'complete'
  /** some sources unknown */
  | 'partial'
  /** attempted, nothing readable */
  | 'unavailable'
  /** past its budget or stopped: not read, recorded as unknown */
  | 'abandoned'
  /** not attempted (backoff), recorded as unknown */
  | 'backoff'
  /** the collection itself failed (a bug), recorded as unknown */
  | 'crashed';

export const TICK_OUTCOMES: readonly TickOutcome[] = ['complete', 'partial', 'unavailable', 'abandoned', 'backoff', 'crashed'];

/** How the tick's observation came about. */
export type TickPath = 'collected' | 'abandoned' | 'backoff' | 'crashed';

export function tickOutcome(path: TickPath, summary: { failedSources: readonly unknown[]; sources: readonly unknown[] }): TickOutcome {
  if (path !== 'collected') return path;
  if (summary.failedSources.length === 0) return 'complete';
  return summary.failedSources.length === summary.sources.length ? 'unavailable' : 'partial';
}
