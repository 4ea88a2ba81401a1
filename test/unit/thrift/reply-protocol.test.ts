// ReplyProtocol reads a 32-bit varint as thrift's own TCompactProtocol does,
// for any bytes: the same number (±Infinity where the library gives it) or the same error.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import thrift from 'thrift';
import { ReplyProtocol } from '../../../src/sources/thrift/reply-protocol.js';

type VarintReader = { readVarint32(): number };

function read(Protocol: new (t: thrift.TTransport) => thrift.TProtocol, bytes: Uint8Array): { value: number } | { error: string } {
  const protocol = new Protocol(new thrift.TFramedTransport(Buffer.from(bytes))) as unknown as VarintReader;
  try {
    return { value: protocol.readVarint32() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** A varint of 1 to 11 bytes: every byte but the last with its top bit set, the last possibly too (cut short). */
const varint = fc.array(fc.integer({ min: 0, max: 127 }), { minLength: 1, maxLength: 11 }).chain((low) =>
  fc.boolean().map((cut) => Uint8Array.from(low.map((b, i) => (i < low.length - 1 || cut ? b | 0x80 : b)))),
);

describe('ReplyProtocol.readVarint32', () => {
  it("reads every varint as thrift's TCompactProtocol does", () => {
    fc.assert(
      fc.property(varint, (bytes) => {
        assert.deepEqual(read(ReplyProtocol, bytes), read(thrift.TCompactProtocol, bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('the edges: zero, 2^31, 2^53 and above, -1, -2^32, over 10 bytes', () => {
    const cases = [
      [0x00],
      [0x80, 0x80, 0x80, 0x80, 0x08],
      [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f],
      [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10],
      [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
      [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
      [0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
      // -2^32: the low half's complement carries into the high half.
      [0x80, 0x80, 0x80, 0x80, 0xf0, 0xff, 0xff, 0xff, 0xff, 0x01],
      Array(11).fill(0x80),
    ];
    const seen = cases.map((c) => read(ReplyProtocol, Uint8Array.from(c)));
    assert.deepEqual(seen, cases.map((c) => read(thrift.TCompactProtocol, Uint8Array.from(c))));
    assert.deepEqual(seen.slice(0, 2), [{ value: 0 }, { value: 2 ** 31 }]);
    assert.ok(seen.some((s) => 'value' in s && s.value === -Infinity) && seen.some((s) => 'value' in s && s.value === Infinity));
    assert.ok(seen.some((s) => 'value' in s && s.value === -1));
    assert.deepEqual(seen.at(-2), { value: -(2 ** 32) });
    assert.ok('error' in seen.at(-1)!);
  });
});
