// A probe's status packed by its shape: every status text a probe can write
// reads back exactly and small; any other text stays text; the first bytes
// written stay readable; damaged bytes are damage.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { canonicalJson } from '../../../src/snapshot/canonical-json.js';
import { packStatus, unpackStatus } from '../../../src/store/status-codec.js';
import { DamagedValueError, packValue, unpackValue } from '../../../src/store/value-codec.js';

const status = (address: { host: string; port: number } | null, message: string | null, s = 'OFFLINE') => canonicalJson({ status: s, address, message });

test('the statuses a probe writes pack to a few bytes and read back exactly', () => {
  const cases: [string, number][] = [
    [status({ host: '10.0.0.2', port: 13010 }, null, 'ONLINE'), 10],
    [status({ host: '10.0.0.2', port: 13010 }, 'connect 10.0.0.2:13010: connect ECONNREFUSED 10.0.0.2:13010'), 43],
    [status(null, null, 'UNKNOWN'), 4],
    [status({ host: 'esx-17.lab', port: 8835 }, 'probe timed out after 2000 ms', 'ERROR'), 46],
  ];
  for (const [text, bytes] of cases) {
    const packed = packValue('status', text);
    assert.ok(Buffer.isBuffer(packed), text);
    assert.equal(packed.length, bytes, text);
    assert.equal(unpackValue(packed), text);
  }
});

test('any status value round-trips: packed exactly, or kept as text', () => {
  const host = fc.oneof(fc.ipV4(), fc.ipV4Extended(), fc.domain(), fc.string({ unit: 'binary', maxLength: 300 }));
  const port = fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.integer(), fc.double());
  const address = fc.option(fc.record({ host, port }));
  const value = fc.record({ status: fc.constantFrom('ONLINE', 'OFFLINE', 'ERROR', 'UNKNOWN', 'LOST', ''), address, message: fc.option(fc.string({ unit: 'binary', maxLength: 80 })) });
  fc.assert(
    fc.property(value, fc.boolean(), (v, ownAddress) => {
      // a message naming the node's own address, as a refused connect does
      const message = ownAddress && v.address && v.message !== null ? `${v.message} ${v.address.host}:${v.address.port}` : v.message;
      const text = canonicalJson({ ...v, message });
      const stored = packValue('status', text);
      assert.equal(unpackValue(stored), text);
      if (Buffer.isBuffer(stored)) assert.ok(stored.length < Buffer.byteLength(text));
    }),
  );
});

test('texts of another shape stay text', () => {
  for (const text of ['{}', 'null', 'not json', '{"status":"ONLINE","address":null,"message":null}', '{"address":null,"message":null,"status":"ONLINE","x":1}', status(null, 'a\u0000b')]) {
    assert.equal(packStatus(text), null, text);
    assert.equal(packValue('status', text), text);
  }
});

test('statuses packed by the first build that packed them still read (the layout never changes)', () => {
  const written: [string, string][] = [
    ['0400010a00000232d200', status({ host: '10.0.0.2', port: 13010 }, null, 'ONLINE')],
    ['0401010a00000232d201636f6e6e65637420003a20636f6e6e6563742045434f4e4e524546555345442000', status({ host: '10.0.0.2', port: 13010 }, 'connect 10.0.0.2:13010: connect ECONNREFUSED 10.0.0.2:13010')],
    ['04030000', status(null, null, 'UNKNOWN')],
    ['0402020a6573782d31372e6c616222830170726f62652074696d6564206f75742061667465722032303030206d73', status({ host: 'esx-17.lab', port: 8835 }, 'probe timed out after 2000 ms', 'ERROR')],
  ];
  for (const [hex, text] of written) assert.equal(unpackValue(Buffer.from(hex, 'hex')), text);
});

test('bytes that cannot be a status are a damaged value', () => {
  const packed = packValue('status', status({ host: '10.0.0.2', port: 13010 }, null, 'ONLINE')) as Buffer;
  for (const bytes of [Buffer.of(4, 9, 0, 0), Buffer.of(4, 0, 7, 0), packed.subarray(0, 8), Buffer.concat([packed, Buffer.of(1)]), Buffer.of(4)]) {
    assert.throws(() => unpackValue(bytes), (e: unknown) => e instanceof DamagedValueError && /status/.test(e.message), bytes.toString('hex'));
  }
  assert.throws(() => unpackStatus(Buffer.of(4, 0, 1, 10, 0)), RangeError);
});
