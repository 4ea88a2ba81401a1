// The collector lease (PostgreSQL only; postgres/pg-lease.ts): which one of
// several `treesnap run` of a cluster collects. A holder renews it through a
// session of its own; every write it makes carries a LeaseClaim that the write
// transaction checks before writing anything, so an ex-holder (paused past the
// lease, cut off from the server, or outlived by a takeover) writes nothing.

/** What a write must prove: the holder, the fence it got, and the tick it records. */
export interface LeaseClaim {
  cluster: string;
  holder: string;
  fence: number;
  /** The scheduled time of the tick (epoch ms): each tick is written once, whoever holds the lease. */
  tickAt: number;
  /** The write renews the lease for this long. */
  ttlMs: number;
}

/** The lease as a claim left it. */
export interface LeaseView {
  /** This session holds it (just taken, or kept). */
  held: boolean;
  holder: string;
  fence: number;
  /** ms until it expires by the server's clock (negative: expired). */
  expiresInMs: number;
  /** The holder's lease session is still connected to the server. */
  holderConnected: boolean;
}

/** A connection of its own that holds the lease of one cluster; the lease goes when it does. */
export interface LeaseSession {
  /** Takes the lease if it is free, expired or its holder's session is gone, or keeps it if it is ours. */
  claim(ttlMs: number): Promise<LeaseView>;
  /** Extends the lease we hold at `fence`; false: it is no longer ours. */
  renew(fence: number, ttlMs: number): Promise<boolean>;
  /** Lets it go at once (a clean stop), so a standby takes over at its next tick. */
  release(fence: number): Promise<void>;
  /** Resolves, with why, when the session's connection is gone (the lease is then free to take). */
  readonly ended: Promise<string>;
  close(): Promise<void>;
}

/** A write refused by the lease check: nothing was written. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}
