// What the daemon's ZooKeeper watcher saw between two ticks (plain data).
// Each event is the node as re-read right after its watch fired: the Stat's
// mzxid/pzxid order events exactly across nodes, `arrivedAt` is the
// collector's clock, the Stat's times ZooKeeper's.
import type { ZkStat } from './zk-stat.js';

export type WatchEventKind = 'children' | 'data' | 'deleted';

export interface WatchEvent {
  path: string;
  kind: WatchEventKind;
  /** A data node's value, base64 (data events), when small; a larger one is kept as its digest. */
  value?: string;
  /** sha256 of a value too large to keep per event (a /roles value), first 16 hex digits, and its size. */
  digest?: string;
  size?: number;
  /** Children created and deleted since the parent was last listed, sorted (children events). */
  added?: string[];
  removed?: string[];
  /** The node's Stat as re-read; null for a deleted node. */
  stat: ZkStat | null;
  /** ms since the epoch, the collector's clock */
  arrivedAt: number;
}

/** A stretch in which the watcher had no session: changes then were not watched. `to` null: still open. */
export interface WatchGap {
  from: number;
  to: number | null;
  /** Why: "disconnected", "expired", "not connected". */
  reason: string;
}

/** What the watcher hands one tick: the interval's events and gaps, and how many events past the bound were dropped. */
export interface WatchedInterval {
  events: WatchEvent[];
  gaps: WatchGap[];
  dropped: number;
  /** Why nothing was watched in this interval, when no watcher ran at all (`--no-watch`). */
  unwatched?: string;
}

/** One watched event as recorded in `zk.watch` (its path is the key). */
export type WatchedRecordEvent = Omit<WatchEvent, 'path'>;

/** A `zk.watch` version: a path's events in one interval, a gap, or the count dropped past the daemon's bound. */
export type WatchRecordValue =
  | { events: WatchedRecordEvent[] }
  | { from: number; to: number | null; reason: string }
  | { count: number }
  | { reason: string };

