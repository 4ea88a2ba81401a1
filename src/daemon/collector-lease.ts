// Which of several `treesnap run` of one cluster collects (a PostgreSQL
// history): the lease held in the server (store: collector-lease-contract.ts).
// Each tick, before collecting, a daemon makes sure of the lease: the holder
// renews it, a standby takes it when it is free. A standby that finds it held
// by a connected holder whose lease runs out within the lease's time waits for
// that once, so a holder paused or stuck between renewals is taken over within
// the tick, not the next. The holder renews it every third of its time between
// ticks; a daemon that loses it (its session cut, a renewal refused, a write
// refused) stands by for one tick so that another takes over. The lease never
// asks the cluster's ZooKeeper anything: that may be what is down.
import type { LeaseClaim, LeaseSession, LeaseView } from '../store/index.js';
import type { LeaseMetrics } from './lease-metrics.js';
import type { Logger } from './logger.js';

export interface LeaseOptions {
  cluster: string;
  /** This daemon, as the lease and the logs name it: host, pid and a random tag. */
  holder: string;
  ttlMs: number;
  /** A new session to the server (the previous one ended). */
  open: () => Promise<LeaseSession>;
  logger: Logger;
  metrics: LeaseMetrics;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}

export class CollectorLease {
  private session: LeaseSession | null = null;
  /** The fence we hold the lease at; null: not held. */
  private fence: number | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private sitOut = false;
  /** The holder last logged as standing by for, so a standby logs a change of holder once. */
  private standingBy: string | null = null;
  /** The claim of the tick this daemon is collecting. */
  private tickClaim: LeaseClaim | null = null;

  constructor(private readonly o: LeaseOptions) {}

  get held(): boolean {
    return this.fence !== null;
  }

  /**
   * What the write of the tick scheduled at `tickAt` proves: the fence this daemon held when that tick began,
   * even if it has lost the lease since. The server decides (pgCheckLease), never this process's view of it.
   */
  claimFor(tickAt: number): LeaseClaim | null {
    return this.tickClaim?.tickAt === tickAt ? this.tickClaim : null;
  }

  /** Before the tick scheduled at `tickAt`: true when this daemon holds the lease and collects it. */
  async ensure(tickAt: number, signal: AbortSignal): Promise<boolean> {
    this.tickClaim = null;
    const held = await this.hold(signal);
    if (held) this.tickClaim = { cluster: this.o.cluster, holder: this.o.holder, fence: this.fence!, tickAt, ttlMs: this.o.ttlMs };
    return held;
  }

  /** Never throws: a server out of reach makes a standby. */
  private async hold(signal: AbortSignal): Promise<boolean> {
    if (this.sitOut) {
      this.sitOut = false;
      this.o.logger.debug('lease: standing by one tick after losing it', { cluster: this.o.cluster });
      return false;
    }
    try {
      if (this.fence !== null) {
        if (await this.session!.renew(this.fence, this.o.ttlMs)) return true;
        this.lost('another collector holds it now');
        return false;
      }
      return await this.claim(signal);
    } catch (e) {
      this.lost(`the server did not answer: ${message(e)}`);
      this.o.metrics.seen(false, null, 0);
      // A new session next tick: this one may be broken (and ours no longer holds anything).
      const broken = this.session;
      this.session = null;
      await broken?.close().catch(() => {});
      this.o.logger.warn('lease: cannot reach the server, standing by', { cluster: this.o.cluster, error: message(e) });
      return false;
    }
  }

  private async claim(signal: AbortSignal): Promise<boolean> {
    const session = await this.openSession();
    let view = await session.claim(this.o.ttlMs);
    // A live holder renews every third of the lease: less than half left means it missed a renewal (paused, stuck).
    if (!view.held && view.holderConnected && view.expiresInMs > 0 && view.expiresInMs < this.o.ttlMs / 2) {
      await sleep(view.expiresInMs + 50, signal);
      if (signal.aborted) return false;
      view = await session.claim(this.o.ttlMs);
    }
    if (view.held) this.took(view);
    else this.standBy(view);
    return view.held;
  }

  private async openSession(): Promise<LeaseSession> {
    if (this.session) return this.session;
    const session = await this.o.open();
    this.session = session;
    void session.ended.then((why) => {
      if (this.session !== session) return;
      this.session = null;
      this.lost(`its session to the server ended (${why})`);
    });
    return session;
  }

  private took(view: LeaseView): void {
    this.fence = view.fence;
    this.standingBy = null;
    // Fence 1 is the cluster's first holder; any later fence took the lease over from another.
    if (view.fence > 1) this.o.metrics.tookOver();
    this.o.metrics.seen(true, this.o.holder, view.fence);
    this.o.logger.info('lease acquired: collecting', { cluster: this.o.cluster, holder: this.o.holder, fence: view.fence });
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => void this.renew(), Math.max(100, Math.floor(this.o.ttlMs / 3)));
    this.heartbeat.unref();
  }

  private standBy(view: LeaseView): void {
    this.o.metrics.seen(false, view.holder, view.fence);
    if (this.standingBy === view.holder) return;
    this.standingBy = view.holder;
    this.o.logger.info('lease held by another collector: standing by', { cluster: this.o.cluster, holder: view.holder, fence: view.fence });
  }

  private async renew(): Promise<void> {
    const fence = this.fence;
    if (fence === null || !this.session) return;
    try {
      if (!(await this.session.renew(fence, this.o.ttlMs)) && this.fence === fence) this.lost('another collector holds it now');
    } catch (e) {
      if (this.fence === fence) this.lost(`renewing failed: ${message(e)}`);
    }
  }

  /** The lease is no longer ours (a write refused, a renewal refused, the session gone): stop collecting at once. */
  lost(why: string): void {
    if (this.fence === null) return;
    this.o.logger.warn('lease lost: standing by', { cluster: this.o.cluster, holder: this.o.holder, fence: this.fence, why });
    this.o.metrics.seen(false, null, this.fence);
    this.fence = null;
    this.sitOut = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  /** On stop: let the lease go at once, so a standby takes over at its next tick. */
  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    const session = this.session;
    this.session = null;
    if (!session) return;
    if (this.fence !== null) await session.release(this.fence).catch(() => {});
    this.fence = null;
    await session.close();
  }
}
