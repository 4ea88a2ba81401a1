// The read-only view of one ZooKeeper session that the readers use. Paths are
// relative to the connect string's chroot. Every call answers within its own
// deadline; failures are values.
import type { Result } from '../../model/result.js';
import type { SourceError } from '../../model/source-error.js';
import type { ZkStat } from '../../model/zk-stat.js';

export interface ZkReader {
  /** Child names (unsorted, as the server lists them); null when the path does not exist. */
  children(path: string): Promise<Result<string[] | null, SourceError>>;
  /** The node's value (empty when it has none); null when the node does not exist. */
  data(path: string): Promise<Result<Buffer | null, SourceError>>;
  /** The node's Stat alone; null when the node does not exist. */
  stat(path: string): Promise<Result<ZkStat | null, SourceError>>;
  /**
   * The Stat of every node this session has listed, read or checked, by path:
   * ZooKeeper's own record of when each was created and last changed.
   */
  seenStats(): ReadonlyMap<string, ZkStat>;
  /** True once the session has expired: every later call fails with 'session_expired'. Reconnect to go on. */
  readonly expired: boolean;
  /** Ends the session; resolves within a bounded time even if the server does not answer. */
  close(): Promise<void>;
}
