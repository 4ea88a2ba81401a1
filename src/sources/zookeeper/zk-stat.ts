// node-zookeeper-client's Stat (8-byte buffers for times and zxids) as ZkStat.
import type zookeeper from 'node-zookeeper-client';
import type { ZkStat } from '../../model/zk-stat.js';
import { LeanStat, STAT_BYTES, STAT_OFFSETS } from './zk-lean-replies.js';

/** The Stat's longs at their offsets: a lean Stat's own bytes (no Buffer made per field), else its fields copied there. */
function longsOf(s: zookeeper.Stat): Buffer {
  if (s instanceof LeanStat) return s.raw;
  const raw = Buffer.alloc(STAT_BYTES);
  for (const [field, at] of Object.entries(STAT_OFFSETS)) s[field as keyof typeof STAT_OFFSETS].copy(raw, at);
  return raw;
}

function hex(raw: Buffer, at: number): string {
  return raw.readBigUInt64BE(at).toString(16);
}

export function toZkStat(s: zookeeper.Stat): ZkStat {
  const raw = longsOf(s);
  return {
    ctime: Number(raw.readBigInt64BE(STAT_OFFSETS.ctime)),
    mtime: Number(raw.readBigInt64BE(STAT_OFFSETS.mtime)),
    czxid: hex(raw, STAT_OFFSETS.czxid),
    mzxid: hex(raw, STAT_OFFSETS.mzxid),
    pzxid: hex(raw, STAT_OFFSETS.pzxid),
    version: s.version,
    cversion: s.cversion,
    ephemeralOwner: hex(raw, STAT_OFFSETS.ephemeralOwner),
  };
}
