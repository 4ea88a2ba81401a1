// Runs one collection per tick, never two at once: a tick that arrives while
// a collection is still running is skipped (and reported), not queued.
export interface Tick {
  /** 1, 2, 3... counting ticks that ran, not skipped ones. */
  seq: number;
  scheduledAt: Date;
}

export interface TickLoopHooks {
  run(tick: Tick): Promise<void>;
  skipped(scheduledAt: Date, running: Tick): void;
}

export class TickLoop {
  private seq = 0;
  private current: { tick: Tick; done: Promise<void> } | null = null;
  private closed = false;

  constructor(private readonly hooks: TickLoopHooks) {}

  /** Starts a collection for this tick unless one is running (or the loop is closed). */
  onTick(scheduledAt: Date): void {
    if (this.closed) return;
    if (this.current) {
      this.hooks.skipped(scheduledAt, this.current.tick);
      return;
    }
    const tick = { seq: ++this.seq, scheduledAt };
    // run() reports its own failures; the catch only keeps a bug from becoming an unhandled rejection.
    const done = this.hooks.run(tick).catch(() => undefined).finally(() => {
      this.current = null;
    });
    this.current = { tick, done };
  }

  get running(): Tick | null {
    return this.current?.tick ?? null;
  }

  /** No new ticks start after this. */
  close(): void {
    this.closed = true;
  }

  /** Resolves when no collection is running. */
  async idle(): Promise<void> {
    await this.current?.done;
  }
}
