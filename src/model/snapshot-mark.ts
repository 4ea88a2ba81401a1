// A snapshot as query results name it: its id and when its collection
// started. Every time a query reports is a snapshot's start, because that is
// the only clock the history has.
export interface SnapshotMark {
  id: number;
  /** ms since the epoch */
  startedAt: number;
}

/**
 * A change is only known to have happened between two collections: after the
 * last read that did not see it (`after`, null when there is none to name)
 * and at or before the first read that did (`by`).
 */
export interface TimeBounds {
  after: SnapshotMark | null;
  by: SnapshotMark;
  /** The exact time, where a record proves it (only then present); the bounds stay. */
  exact?: ExactTime;
}

/**
 * A time proven by a record: ZooKeeper's Stat of a node, read in the first
 * collection that saw the change; or, for a deletion, which leaves no Stat,
 * the arrival of the watch event that told it (`origin: 'arrival'`).
 */
export interface ExactTime {
  /** ms since the epoch: ZooKeeper's server clock, or treesnap's for an arrival */
  at: number;
  /** Which record proves it, e.g. "ctime of /missing/h6". */
  record: string;
  /** Present only for a watch event's arrival (treesnap's clock); absent: a ZooKeeper Stat. */
  origin?: 'arrival';
}

/** How long something lasted, as far as the collections can tell. */
export interface DurationBounds {
  /** From the first to the last collection that saw it. */
  minMs: number;
  /** From the last collection before it to the first after it; null when either is not known. */
  maxMs: number | null;
}

export function durationBounds(start: TimeBounds, lastSeen: SnapshotMark, endBy: SnapshotMark | null): DurationBounds {
  return {
    minMs: Math.max(0, lastSeen.startedAt - start.by.startedAt),
    maxMs: endBy && start.after ? endBy.startedAt - start.after.startedAt : null,
  };
}
