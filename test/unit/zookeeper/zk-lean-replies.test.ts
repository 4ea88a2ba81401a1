// The lean reply classes (zk-lean-replies.ts) read every reply, well-formed or
// cut short, into what the library's own jute classes read: the same fields,
// the same byte count, and a throw where the library throws.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LEAN_REPLIES, LIBRARY_REPLIES, STAT_BYTES } from '../../../src/sources/zookeeper/zk-lean-replies.js';
import { toZkStat } from '../../../src/sources/zookeeper/zk-stat.js';

type Name = keyof typeof LEAN_REPLIES;
const FIELDS: Record<Name, string[]> = {
  ReplyHeader: ['xid', 'zxid', 'err'],
  GetDataResponse: ['data', 'stat'],
  GetChildren2Response: ['children', 'stat'],
  ExistsResponse: ['stat'],
};
const STAT_FIELDS = ['czxid', 'mzxid', 'ctime', 'mtime', 'version', 'cversion', 'aversion', 'ephemeralOwner', 'dataLength', 'numChildren', 'pzxid'];

/** A record's fields as plain data (Buffers as hex), nested Stats included. */
function fieldsOf(name: Name, record: Record<string, unknown>): Record<string, unknown> {
  const plain = (v: unknown): unknown => (Buffer.isBuffer(v) ? `0x${v.toString('hex')}` : v);
  const out: Record<string, unknown> = {};
  for (const f of FIELDS[name]) {
    const v = record[f];
    out[f] = f === 'stat' ? Object.fromEntries(STAT_FIELDS.map((s) => [s, plain((v as Record<string, unknown>)[s])])) : Array.isArray(v) ? [...v] : plain(v);
  }
  return out;
}

type Outcome = { threw: true } | { threw: false; read: number; fields: Record<string, unknown> };

function decode(name: Name, classes: Record<string, new () => object>, bytes: Buffer, offset: number): Outcome {
  const record = new classes[name]!() as { deserialize(b: Buffer, o: number): number } & Record<string, unknown>;
  try {
    const read = record.deserialize(bytes, offset);
    return { threw: false, read, fields: fieldsOf(name, record) };
  } catch {
    return { threw: true };
  }
}

const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const stat = fc.uint8Array({ minLength: STAT_BYTES, maxLength: STAT_BYTES }).map((a) => Buffer.from(a));
const value = fc.oneof(
  fc.constant(int32(-1)),
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.concat([int32(a.length), a])),
);
const child = fc.oneof(fc.constant(int32(-1)), fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => Buffer.concat([int32(Buffer.byteLength(s)), Buffer.from(s)])));
const children = fc.oneof(
  fc.constant(int32(-1)),
  fc.array(child, { maxLength: 8 }).map((cs) => Buffer.concat([int32(cs.length), ...cs])),
);
const PAYLOADS: Record<Name, fc.Arbitrary<Buffer>> = {
  ReplyHeader: fc.uint8Array({ minLength: 16, maxLength: 16 }).map((a) => Buffer.from(a)),
  GetDataResponse: fc.tuple(value, stat).map((parts) => Buffer.concat(parts)),
  GetChildren2Response: fc.tuple(children, stat).map((parts) => Buffer.concat(parts)),
  ExistsResponse: stat,
};

describe('lean ZooKeeper replies', () => {
  for (const name of Object.keys(LEAN_REPLIES) as Name[]) {
    it(`${name}: reads what the library reads, whole, cut short or with bytes after it`, () => {
      fc.assert(
        fc.property(PAYLOADS[name], fc.nat(6), fc.integer({ min: -80, max: 4 }), (payload, before, cut) => {
          const bytes = Buffer.concat([Buffer.alloc(before, 0xab), payload]);
          const input = cut < 0 ? bytes.subarray(0, Math.max(0, bytes.length + cut)) : Buffer.concat([bytes, Buffer.alloc(cut, 0xcd)]);
          assert.deepEqual(decode(name, LEAN_REPLIES, input, before), decode(name, LIBRARY_REPLIES, input, before));
        }),
        { numRuns: 400 },
      );
    });
  }

  it("toZkStat reads a lean Stat as it reads the library's", () => {
    const statOf = (classes: Record<string, new () => object>, bytes: Buffer) => {
      const r = new classes.ExistsResponse!() as { deserialize(b: Buffer, o: number): number; stat: Parameters<typeof toZkStat>[0] };
      r.deserialize(bytes, 0);
      return r.stat;
    };
    fc.assert(
      fc.property(stat, (bytes) => {
        assert.deepEqual(toZkStat(statOf(LEAN_REPLIES, bytes)), toZkStat(statOf(LIBRARY_REPLIES, bytes)));
      }),
      { numRuns: 400 },
    );
  });

  it('a whole reply is read to its last byte', () => {
    const payload = Buffer.concat([int32(3), Buffer.from('abc'), Buffer.alloc(STAT_BYTES, 7)]);
    const r = decode('GetDataResponse', LEAN_REPLIES, payload, 0);
    assert.ok(!r.threw);
    assert.equal(r.read, payload.length);
    assert.equal(r.fields.data, '0x616263');
  });
});
