// When the daemon stops trying every tick (pure).
//
// What backs off is the whole collection, and only when it read nothing at
// all (in practice: ZooKeeper unreachable, so no source can even find its
// peers). collect() reads every source in one pass, so a single failing source
// (a flapping chairman, a dead agent) cannot be skipped on its own; each of
// those costs at most its own timeout, concurrently with the others, and is
// attempted every tick.
//
// An abandoned collection (past its budget) counts neither way: it says the
// cluster is slow, not unreachable, and skipping ticks would not speed it up.
//
// Schedule: after `after` attempts in a row read nothing, the next attempt
// comes after 1 skipped tick, then 2, then 4, ... at most `maxSkip`. Skipped
// ticks are still recorded (every source unknown, error kind "backoff"), so
// the history has no hole. One attempt that reads anything resets it.
export interface BackoffPolicy {
  /** Consecutive read-nothing attempts before skipping starts; 0 disables backoff. */
  after: number;
  /** Most ticks skipped between two attempts. */
  maxSkip: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { after: 3, maxSkip: 3 };

export type BackoffDecision =
  | { attempt: true }
  | { attempt: false; failedAttempts: number; ticksUntilAttempt: number };

export class CollectionBackoff {
  private failedAttempts = 0;
  private skipsLeft = 0;

  constructor(private readonly policy: BackoffPolicy) {}

  /** Called once per tick, before collecting. */
  decide(): BackoffDecision {
    if (this.skipsLeft === 0) return { attempt: true };
    const decision = { attempt: false as const, failedAttempts: this.failedAttempts, ticksUntilAttempt: this.skipsLeft };
    this.skipsLeft -= 1;
    return decision;
  }

  /** Called after each attempted tick: did it read nothing at all? */
  record(readNothing: boolean): void {
    if (!readNothing) {
      this.failedAttempts = 0;
      this.skipsLeft = 0;
      return;
    }
    this.failedAttempts += 1;
    this.skipsLeft = skipsAfter(this.failedAttempts, this.policy);
  }

  /** Consecutive attempts that read nothing (exported as a metric). */
  get consecutiveFailures(): number {
    return this.failedAttempts;
  }

  get active(): boolean {
    return this.policy.after > 0 && this.failedAttempts >= this.policy.after;
  }
}

export function skipsAfter(failedAttempts: number, policy: BackoffPolicy): number {
  if (policy.after <= 0 || failedAttempts < policy.after) return 0;
  const exponent = Math.min(failedAttempts - policy.after, 30);
  return Math.min(2 ** exponent, policy.maxSkip);
}
