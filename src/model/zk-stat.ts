// ZooKeeper's own record of a node, its Stat, as a collection read it with the
// node. ctime/mtime are the server's clock (ms since the epoch); zxids are
// 64-bit, kept as hex text so that no precision is lost.
export interface ZkStat {
  ctime: number;
  mtime: number;
  czxid: string;
  mzxid: string;
  pzxid: string;
  version: number;
  cversion: number;
  /** The owning session for an ephemeral node; "0" for a persistent one. */
  ephemeralOwner: string;
}
