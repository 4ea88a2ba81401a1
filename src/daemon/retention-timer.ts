// When the daemon prunes (pure): at the first tick, then at most once per
// period. Pruning every tick would re-read every key each time only to drop
// one snapshot; once an hour keeps the history within an hour of --retain.
export const PRUNE_EVERY_MS = 60 * 60_000;

export class RetentionTimer {
  private lastAt: number | null = null;

  constructor(private readonly everyMs = PRUNE_EVERY_MS) {}

  due(now: number): boolean {
    return this.lastAt === null || now - this.lastAt >= this.everyMs;
  }

  ran(now: number): void {
    this.lastAt = now;
  }
}
