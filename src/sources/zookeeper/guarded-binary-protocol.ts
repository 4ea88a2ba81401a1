// A Thrift binary-protocol reader over one in-memory value that refuses
// container sizes the remaining bytes cannot hold. The stock runtime reads a
// negative list size as an empty list (silently), and a size of 2^31 followed
// by a megabyte of zeros makes it build a million empty structs (measured:
// about 750 ms) before it runs out of input. Every element of every Thrift
// type takes at least one byte on the wire, so `size * minimum element size
// <= remaining bytes` is a check that costs nothing and bounds all the work.
// Strings go through the string pool (util/string-pool.ts): every
// HostConfig repeats its deployment id, network names and datastore types.
import thrift from 'thrift';
import { pooled } from '../../util/string-pool.js';

const T = thrift.Thrift.Type;

/** Smallest binary-protocol encoding of one value of each type that may appear in a container. */
const MIN_BYTES: ReadonlyMap<number, number> = new Map([
  [T.BOOL, 1],
  [T.BYTE, 1],
  [T.DOUBLE, 8],
  [T.I16, 2],
  [T.I32, 4],
  [T.I64, 8],
  [T.STRING, 4], // length prefix
  [T.STRUCT, 1], // field stop
  [T.MAP, 6], // key type, value type, size
  [T.SET, 5], // element type, size
  [T.LIST, 5],
]);

export class ThriftValueError extends Error {
  override name = 'ThriftValueError';
}

/** The read side of a thrift transport over a single Buffer, with a cursor the caller can inspect. */
export class BufferSource implements thrift.TTransport {
  private cursor = 0;

  constructor(private readonly bytes: Buffer) {}

  remaining(): number {
    return this.bytes.length - this.cursor;
  }

  ensureAvailable(len: number): void {
    if (len < 0 || len > this.remaining()) {
      throw new ThriftValueError(`value truncated: needs ${len} more byte(s) at offset ${this.cursor}, ${this.remaining()} left`);
    }
  }

  read(len: number): Buffer {
    this.ensureAvailable(len);
    const out = Buffer.from(this.bytes.subarray(this.cursor, this.cursor + len));
    this.cursor += len;
    return out;
  }

  readByte(): number {
    this.ensureAvailable(1);
    return this.bytes.readInt8(this.cursor++);
  }

  readI16(): number {
    this.ensureAvailable(2);
    const v = this.bytes.readInt16BE(this.cursor);
    this.cursor += 2;
    return v;
  }

  readI32(): number {
    this.ensureAvailable(4);
    const v = this.bytes.readInt32BE(this.cursor);
    this.cursor += 4;
    return v;
  }

  readDouble(): number {
    this.ensureAvailable(8);
    const v = this.bytes.readDoubleBE(this.cursor);
    this.cursor += 8;
    return v;
  }

  readString(len = 0): string {
    this.ensureAvailable(len);
    const s = this.bytes.toString('utf8', this.cursor, this.cursor + len);
    this.cursor += len;
    return pooled(s);
  }

  // Read-only source: the write and framing half of the transport interface is unused.
  commitPosition(): void {}
  rollbackPosition(): void {}
  isOpen(): boolean {
    return true;
  }
  open(): boolean {
    return true;
  }
  close(): boolean {
    return true;
  }
  setCurrSeqId(): void {}
  write(): void {
    throw new ThriftValueError('BufferSource is read-only');
  }
  flush(): void {}
}

export class GuardedBinaryProtocol extends thrift.TBinaryProtocol {
  constructor(private readonly source: BufferSource) {
    super(source);
  }

  override readListBegin(): thrift.TList {
    const list = super.readListBegin();
    this.checkSize('list', list.size, minBytes(list.etype));
    return list;
  }

  override readSetBegin(): thrift.TSet {
    const set = super.readSetBegin();
    this.checkSize('set', set.size, minBytes(set.etype));
    return set;
  }

  override readMapBegin(): thrift.TMap {
    const map = super.readMapBegin();
    this.checkSize('map', map.size, minBytes(map.ktype) + minBytes(map.vtype));
    return map;
  }

  private checkSize(what: string, size: number, perElement: number): void {
    if (size < 0) throw new ThriftValueError(`${what} declares a negative size (${size})`);
    const room = this.source.remaining();
    if (size * perElement > room) {
      throw new ThriftValueError(`${what} declares ${size} element(s) but only ${room} byte(s) remain`);
    }
  }
}

function minBytes(type: number): number {
  const n = MIN_BYTES.get(type);
  if (n === undefined) throw new ThriftValueError(`container of invalid element type ${type}`);
  return n;
}
