// The protocol replies are decoded with: thrift's TCompactProtocol, but for
// how it reads a 32-bit varint (every string's and list's length, every i32).
// The library reads each one as a 64-bit varint into a node-int64 Int64 (an
// 8-byte Buffer made through Node's deprecated Buffer constructor) only to
// turn it into a number; the chairman's and the root scheduler's replies at
// 5,000 hosts hold tens of thousands of them (docs/performance-log.md). Read
// here into two 32-bit halves and turned into the number the library's
// Int64.toNumber() gives, the same for every byte sequence (test/unit/thrift/
// reply-protocol.test.ts); the errors are the library's. Its strings go
// through the string pool (util/string-pool.ts): a reply names each host
// once per list it is in.
import thrift from 'thrift';
import { pooled } from '../../util/string-pool.js';

const TWO_32 = 0x1_0000_0000;

/** What node-int64's toNumber() makes of the bits hi:lo (two's complement), ±Infinity from 2^53 on. */
function int64Number(hi: number, lo: number): number {
  let h = hi >>> 0;
  let l = lo >>> 0;
  const negative = h >= 0x8000_0000;
  if (negative) {
    l = (~l >>> 0) + 1;
    h = ~h >>> 0;
    if (l === TWO_32) {
      l = 0;
      h = (h + 1) >>> 0;
    }
  }
  const x = h * TWO_32 + l;
  if (x >= 2 ** 53) return negative ? -Infinity : Infinity;
  return negative ? -x : x;
}

/** TCompactProtocol's transport, which its typings do not name. */
interface WithTransport {
  trans: { readByte(): number };
}

export class ReplyProtocol extends thrift.TCompactProtocol {
  /** The library's string, pooled (util/string-pool.ts). */
  override readString(): string {
    return pooled(super.readString());
  }

  /** The library's readVarint64 loop, its bit arithmetic included, without the Int64 at the end (replaces its readVarint32). */
  readVarint32(): number {
    const trans = (this as unknown as WithTransport).trans;
    let size = 0;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (;;) {
      const b = trans.readByte();
      size++;
      if (shift <= 25) lo = lo | ((b & 0x7f) << shift);
      else if (shift < 32) {
        lo = lo | ((b & 0x7f) << shift);
        hi = hi | ((b & 0x7f) >>> (32 - shift));
      } else hi = hi | ((b & 0x7f) << (shift - 32));
      shift += 7;
      if (!(b & 0x80)) break;
      if (size >= 10) throw new thrift.Thrift.TProtocolException(thrift.Thrift.TProtocolExceptionType.INVALID_DATA, 'Variable-length int over 10 bytes.');
    }
    return int64Number(hi, lo);
  }
}
