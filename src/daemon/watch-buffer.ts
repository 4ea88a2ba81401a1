// What the watcher saw between two ticks, held until the tick that closes the
// interval records it. Bounded: past `limit` events the values are dropped
// and only counted (the record says how many), so a storm of changes cannot
// grow the daemon without end.
import type { WatchEvent, WatchGap, WatchedInterval } from '../model/watch-event.js';

export const DEFAULT_WATCH_BUFFER_LIMIT = 10_000;

export class WatchBuffer {
  private events: WatchEvent[] = [];
  /** Gap updates not yet recorded, by their start (a gap opened and closed before a tick is one update). */
  private gaps = new Map<number, WatchGap>();
  private dropped = 0;

  /** `unwatched`: no watcher runs (`--no-watch`), and every interval says so. */
  constructor(
    private readonly limit = DEFAULT_WATCH_BUFFER_LIMIT,
    private readonly unwatched?: string,
  ) {}

  add(e: WatchEvent): void {
    if (this.events.length >= this.limit) this.dropped++;
    else this.events.push(e);
  }

  gap(g: WatchGap): void {
    this.gaps.set(g.from, g);
  }

  /**
   * The interval a snapshot started at `cut` closes: events that arrived
   * before it (later ones may or may not be in that snapshot's reads, so they
   * go with the next), every gap update, and the drop count.
   */
  take(cut: number): WatchedInterval {
    const events = this.events.filter((e) => e.arrivedAt < cut);
    this.events = this.events.filter((e) => e.arrivedAt >= cut);
    const out: WatchedInterval = { events, gaps: [...this.gaps.values()], dropped: this.dropped };
    if (this.unwatched) out.unwatched = this.unwatched;
    this.gaps = new Map();
    this.dropped = 0;
    return out;
  }

  /** Puts an interval back when its tick could not be recorded: the next tick records it. */
  putBack(i: WatchedInterval): void {
    this.events = [...i.events, ...this.events];
    for (const g of i.gaps) if (!this.gaps.has(g.from)) this.gaps.set(g.from, g);
    this.dropped += i.dropped;
  }
}
