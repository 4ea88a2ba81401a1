// The collector lease's metrics (PostgreSQL histories, collector-lease.ts), on
// the daemon's registry: whether this daemon holds the lease, who does as last
// seen, at which fence, and how often this daemon took it over.
import type { MetricsRegistry } from './metrics-registry.js';

export class LeaseMetrics {
  private readonly held;
  private readonly holder;
  private readonly fence;
  private readonly takeovers;

  constructor(
    r: MetricsRegistry,
    private readonly self: string,
  ) {
    this.held = r.gauge('treesnap_lease_held', '1 while this daemon holds the collector lease of its cluster (it collects), 0 while it stands by.');
    this.holder = r.gauge('treesnap_lease_holder', 'The collector holding the lease as this daemon last saw it (value 1; self: "1" for this daemon).', ['holder', 'self']);
    this.fence = r.gauge('treesnap_lease_fence', 'The lease\'s fencing counter as last seen: it grows by one at every change of holder.');
    this.takeovers = r.counter('treesnap_lease_takeovers_total', 'Times this daemon took the lease from another collector (expired, or its session gone).');
    this.takeovers.touch({});
    this.seen(false, null, 0);
  }

  /** The lease as last seen: held by us or not, by whom (null: unknown, e.g. no session), at which fence. */
  seen(held: boolean, holder: string | null, fence: number): void {
    this.held.set({}, held ? 1 : 0);
    this.holder.clear();
    if (holder !== null) this.holder.set({ holder, self: holder === this.self ? '1' : '0' }, 1);
    this.fence.set({}, fence);
  }

  tookOver(): void {
    this.takeovers.inc({});
  }
}
