// node-zookeeper-client decodes every reply through its generic jute Record:
// per field a closure, a result object and, for a long, a fresh 8-byte
// Buffer; a Stat is built twice (once empty with the response, once read),
// and a value is copied into a Buffer of its own. At 5,000 hosts a collection
// reads ~10,000 nodes, and those decodings were 43.6 of its 170.5 MB allocated,
// the largest part of the collection worker's garbage (docs/performance-log.md).
//
// Installed once, for every client of the process: the replies a reader
// gets (ReplyHeader, GetData, GetChildren2 and Exists responses) are read by
// the small classes below instead, into the same fields with the same values:
// longs are still 8-byte big-endian Buffers (views of one copy of the Stat's
// 68 bytes, made when a field is read), a value is still a Buffer of its own
// bytes (from Node's shared pool when small). Every other reply is the
// library's own; the requests are zk-lean-requests.ts's.
import { replaceJuteClasses } from './jute-classes.js';
import { pooled } from '../../util/string-pool.js';

/** czxid, mzxid, ctime, mtime (longs), version, cversion, aversion (ints), ephemeralOwner (long), dataLength, numChildren (ints), pzxid (long). */
export const STAT_BYTES = 68;
/** Where each long lies in a Stat's bytes. */
export const STAT_OFFSETS = { czxid: 0, mzxid: 8, ctime: 16, mtime: 24, ephemeralOwner: 44, pzxid: 60 } as const;

/**
 * A copy of `length` bytes. Bytes past the buffer's end are zeros, as in the
 * library's copy (it copies longs and values without a bounds check; its ints
 * are read with readInt32BE, which throws, as here: a reply cut short throws
 * where the library's threw, the first read of each record being an int).
 */
function copyOf(buffer: Buffer, start: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  const copied = buffer.copy(out, 0, start, start + length);
  if (copied < length) out.fill(0, copied);
  return out;
}

/** A node's Stat: the library's fields, its longs read from one copy of the 68 bytes when asked. */
export class LeanStat {
  private bytes: Buffer | null = null;
  version = 0;
  cversion = 0;
  aversion = 0;
  dataLength = 0;
  numChildren = 0;

  /** The Stat's 68 bytes as ZooKeeper sent them (zeros before a read). */
  get raw(): Buffer {
    return (this.bytes ??= Buffer.alloc(STAT_BYTES));
  }
  private long(at: number): Buffer {
    return this.raw.subarray(at, at + 8);
  }
  get czxid(): Buffer {
    return this.long(STAT_OFFSETS.czxid);
  }
  get mzxid(): Buffer {
    return this.long(STAT_OFFSETS.mzxid);
  }
  get ctime(): Buffer {
    return this.long(STAT_OFFSETS.ctime);
  }
  get mtime(): Buffer {
    return this.long(STAT_OFFSETS.mtime);
  }
  get ephemeralOwner(): Buffer {
    return this.long(STAT_OFFSETS.ephemeralOwner);
  }
  get pzxid(): Buffer {
    return this.long(STAT_OFFSETS.pzxid);
  }

  deserialize(buffer: Buffer, offset: number): number {
    // The library's order: each int read where it lies, so a short reply throws where it threw.
    this.version = buffer.readInt32BE(offset + 32);
    this.cversion = buffer.readInt32BE(offset + 36);
    this.aversion = buffer.readInt32BE(offset + 40);
    this.dataLength = buffer.readInt32BE(offset + 52);
    this.numChildren = buffer.readInt32BE(offset + 56);
    this.bytes = copyOf(buffer, offset, STAT_BYTES);
    return STAT_BYTES;
  }
}

/** What every reply class answers to: the library sets a chroot on it, which only a path field would use. */
class Reply {
  setChrootPath(): void {}
}

class ReplyHeader extends Reply {
  /** The zxid's 8 bytes, copied at the read (zeros before it). */
  private bytes: Buffer | null = null;
  xid = 0;
  err = 0;

  get zxid(): Buffer {
    return (this.bytes ??= Buffer.alloc(8));
  }

  deserialize(buffer: Buffer, offset: number): number {
    this.xid = buffer.readInt32BE(offset);
    this.err = buffer.readInt32BE(offset + 12);
    this.bytes = copyOf(buffer, offset + 4, 8);
    return 16;
  }
}

class GetDataResponse extends Reply {
  data: Buffer | undefined = undefined;
  stat = new LeanStat();

  deserialize(buffer: Buffer, offset: number): number {
    const length = buffer.readInt32BE(offset);
    let read = 4;
    // -1: a node created without data (the library's `undefined`).
    if (length !== -1) {
      this.data = copyOf(buffer, offset + 4, length);
      read += length;
    }
    return read + this.stat.deserialize(buffer, offset + read);
  }
}

class GetChildren2Response extends Reply {
  children: (string | undefined)[] | undefined = undefined;
  stat = new LeanStat();

  deserialize(buffer: Buffer, offset: number): number {
    let count = buffer.readInt32BE(offset);
    let read = 4;
    if (count !== -1) {
      const children: (string | undefined)[] = [];
      for (; count > 0; count--) {
        const length = buffer.readInt32BE(offset + read);
        read += 4;
        if (length === -1) children.push(undefined);
        else {
          children.push(pooled(buffer.toString('utf8', offset + read, offset + read + length)));
          read += length;
        }
      }
      this.children = children;
    }
    return read + this.stat.deserialize(buffer, offset + read);
  }
}

class ExistsResponse extends Reply {
  stat = new LeanStat();

  deserialize(buffer: Buffer, offset: number): number {
    return this.stat.deserialize(buffer, offset);
  }
}

export const LEAN_REPLIES = { ReplyHeader, GetDataResponse, GetChildren2Response, ExistsResponse };

/** The library's own classes these replace, kept for comparison (test/unit/zookeeper/zk-lean-replies.test.ts). */
export const LIBRARY_REPLIES = replaceJuteClasses(LEAN_REPLIES);
