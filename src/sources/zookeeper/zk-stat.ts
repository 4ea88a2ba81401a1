// node-zookeeper-client's Stat (8-byte buffers for times and zxids) as ZkStat.
import type zookeeper from 'node-zookeeper-client';
import type { ZkStat } from '../../model/zk-stat.js';

function hex(b: Buffer): string {
  return b.readBigUInt64BE(0).toString(16);
}

export function toZkStat(s: zookeeper.Stat): ZkStat {
  return {
    ctime: Number(s.ctime.readBigInt64BE(0)),
    mtime: Number(s.mtime.readBigInt64BE(0)),
    czxid: hex(s.czxid),
    mzxid: hex(s.mzxid),
    pzxid: hex(s.pzxid),
    version: s.version,
    cversion: s.cversion,
    ephemeralOwner: hex(s.ephemeralOwner),
  };
}
