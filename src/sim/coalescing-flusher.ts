// Coalesces bursts of changes into few flushes: keys marked while a flush is
// pending or running are flushed together afterwards. The chairman uses it so
// that 5,000 registrations become a few hundred ZooKeeper writes and configure
// pushes instead of one per registration per leaf.
export class CoalescingFlusher<K> {
  private dirty = new Set<K>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private waiters: Array<() => void> = [];

  /** `flush` must report its own failures; a rejection is passed to `onError` and the keys are dropped. */
  constructor(
    private readonly delayMs: number,
    private readonly flush: (keys: Set<K>) => Promise<void>,
    private readonly onError: (e: unknown) => void,
  ) {}

  mark(key: K): void {
    this.dirty.add(key);
    this.schedule();
  }

  /** Resolves once nothing is marked and no flush is running. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private isIdle(): boolean {
    return !this.running && this.timer === null && this.dirty.size === 0;
  }

  private schedule(): void {
    if (this.timer !== null || this.running) return;
    this.timer = setTimeout(() => void this.run(), this.delayMs);
  }

  private async run(): Promise<void> {
    this.timer = null;
    this.running = true;
    const keys = this.dirty;
    this.dirty = new Set();
    try {
      await this.flush(keys);
    } catch (e) {
      this.onError(e);
    }
    this.running = false;
    if (this.dirty.size > 0) return this.schedule();
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
