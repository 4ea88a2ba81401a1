// How long one collection may run before it is abandoned (pure). The default
// leaves a fifth of the interval for writing and for the next tick to find the
// daemon idle; a budget longer than the interval would make ticks overlap.
import { err, ok, type Result } from '../model/result.js';

const DEFAULT_SHARE = 0.8;

export function defaultBudgetMs(intervalMs: number): number {
  return Math.max(1, Math.floor(intervalMs * DEFAULT_SHARE));
}

export function checkBudget(budgetMs: number, intervalMs: number): Result<number, string> {
  if (budgetMs > intervalMs) {
    return err(`budget ${budgetMs} ms is longer than the schedule's interval (${intervalMs} ms): ticks would be skipped`);
  }
  return ok(budgetMs);
}

/** ZooKeeper's share of the budget for its connect. */
const ZK_CONNECT_SHARE = 0.4;

/**
 * ZooKeeper's connect timeout within a tick: never more than 40% of the
 * budget, so that when ZooKeeper has lost its quorum the chairman, the root
 * scheduler and the probes are still read (at their last known addresses) in
 * the rest of it instead of the tick being abandoned with nothing read.
 */
export function zkConnectTimeoutMs(connectTimeoutMs: number, budgetMs: number): number {
  return Math.max(1, Math.min(connectTimeoutMs, Math.floor(budgetMs * ZK_CONNECT_SHARE)));
}
