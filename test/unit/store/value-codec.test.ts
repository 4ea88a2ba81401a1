// Stored values: the packed kinds come back exactly as written, every other
// value is stored and read as text, and a packed value written today stays
// readable by every later build (its dictionary may never change).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DatabaseError } from '../../../src/errors.js';
import { FACT_KINDS, type FactKind } from '../../../src/snapshot/fact.js';
import { isCorruption } from '../../../src/store/integrity.js';
import { DamagedValueError, PACKED_KINDS, packStats, packValue, unpackEach, unpackRow, unpackValue } from '../../../src/store/value-codec.js';

const STAT = '{"ctime":1796451251079,"cversion":13,"czxid":"b","ephemeralOwner":"0","mtime":1796451251079,"mzxid":"b","pzxid":"7f00000020","version":0}';
const REGISTRATION =
  '{"address":{"host":"10.0.0.7","port":8835},"availabilityZone":"az-4","cpuCount":32,"datastores":[{"id":"949d8ff4-3056-47f1-ad37-fbdaf9149313","name":"vsan-ds-01","tags":["SHARED_VMFS"],"type":"VSAN"}],' +
  '"deploymentId":"85522114-41e2-4a9a-86e0-cb3f17a7bcb2","esxVersion":"6.0.0","imageDatastoreIds":["949d8ff4-3056-47f1-ad37-fbdaf9149313"],"managementOnly":null,"memoryMb":131072,"networks":[{"id":"VM Network","types":["VM"]}]}';
const STATUS = '{"address":{"host":"10.0.0.7","port":8835},"message":"connect 10.0.0.7:8835: connect ECONNREFUSED 10.0.0.7:8835","status":"OFFLINE"}';
// The commonest drift item (a host OFFLINE but not in /missing), and one naming a leaf.
const DRIFT = '{"sides":{"status":"OFFLINE","zk.missing":false}}';
const DRIFT_LEAF = '{"sides":{"zk.missing":true,"zk.roles":{"leaf":"00cc6444-7f3c-48f0-b594-650b4e8dd087"}}}';
const SAMPLES: Partial<Record<FactKind, string>> = { stat: STAT, registration: REGISTRATION, status: STATUS, drift: DRIFT };

test('every packed kind has a sample here, packs it smaller and reads it back exactly', () => {
  for (const kind of Object.keys(PACKED_KINDS) as FactKind[]) {
    const sample = SAMPLES[kind];
    assert.ok(sample, `no sample for packed kind ${kind}`);
    const packed = packValue(kind, sample);
    assert.ok(Buffer.isBuffer(packed), `${kind} was not packed`);
    assert.ok(packed.length < sample.length / 3, `${kind}: ${packed.length} of ${sample.length} bytes`);
    assert.equal(unpackValue(packed), sample);
  }
});

const PROBE_STATS = '{"nodes":5001,"online":4996,"offline":5,"latency_p50_ms":3.1,"latency_p99_ms":18.7,"latency_max_ms":23.12}';

test("a source's stats pack small and read back exactly; stats packing would not shrink stay text", () => {
  for (const stats of [PROBE_STATS, '{"leaf":157,"placement":5000}', '{"member":2}', '{"address_from_snapshot":42}']) {
    const packed = packStats(stats);
    assert.ok(Buffer.isBuffer(packed) && packed.length <= Math.max(8, stats.length / 3), `${stats}: ${packed.length} bytes`);
    assert.equal(unpackValue(packed), stats);
  }
  assert.equal(packStats('{}'), '{}');
});

test('values of the other kinds, tombstones, and values that packing would not shrink stay text', () => {
  for (const kind of FACT_KINDS.filter((k) => !PACKED_KINDS[k])) assert.equal(packValue(kind, STAT), STAT);
  assert.equal(packValue('stat', null), null);
  assert.equal(packValue('registration', '{}'), '{}');
  assert.equal(unpackValue('{"a":1}'), '{"a":1}');
  assert.equal(unpackValue(null), null);
});

test('any text round-trips through a packed kind', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
      const stored = packValue('registration', text);
      assert.equal(unpackValue(stored), text);
    }),
  );
});

test('values packed by the first build that packed them still read (the dictionaries never change)', () => {
  const written = {
    stat: '02abc66a3bb2e586c608db9348b11e617b1292f5e6690660606480ea1000',
    stats: '0343b6c910619389a5a519924da654b00900',
    drift: '0523590300',
    driftLeaf: '0523d54d0606c9c966262626bae669c6c9ba26166906ba49a69626ba66a6064926a91629290616e620770300',
    registration:
      '01b5d2310e83300c46e113fd521c3b383e4c0787e091058901c4dd91ba74688774e0084fdf3b7f09a737b00e00fb01194236b15e23049cca04d120786745b4ee6124c6c41f9c7df3157d43a2c125be756a2939130984960c7173d46949981b07a96b9b5bfe4b70a8e029e5d77503',
  };
  assert.equal(unpackValue(Buffer.from(written.stat, 'hex')), STAT);
  assert.equal(unpackValue(Buffer.from(written.registration, 'hex')), REGISTRATION);
  assert.equal(unpackValue(Buffer.from(written.stats, 'hex')), PROBE_STATS);
  assert.equal(unpackValue(Buffer.from(written.drift, 'hex')), DRIFT);
  assert.equal(unpackValue(Buffer.from(written.driftLeaf, 'hex')), DRIFT_LEAF);
});

test('a packed value that names no known dictionary, or does not inflate, is a damaged file (corruption, as a damaged page)', () => {
  const packed = packValue('stat', STAT) as Buffer;
  const damaged = (pattern: RegExp) => (e: unknown) => e instanceof DamagedValueError && e instanceof DatabaseError && isCorruption(e) && pattern.test(e.message);
  assert.throws(() => unpackValue(Buffer.concat([Buffer.of(200), packed.subarray(1)])), damaged(/dictionary 200/));
  assert.throws(() => unpackValue(Buffer.of(2, 0xff, 0xff, 0xff)), damaged(/does not inflate/));
  assert.throws(() => unpackValue(new Uint8Array(0)), damaged(/dictionary \(none\)/));
  assert.equal(isCorruption(new DatabaseError('x')), false);
});

test('rows come out with their value and the value it replaced as text, other columns untouched', () => {
  const row = { snapshot: 7, value: packValue('stat', STAT) as unknown as string, before: packValue('stat', STAT) as unknown as string };
  assert.deepEqual(unpackRow(row), { snapshot: 7, value: STAT, before: STAT });
  const plain = { snapshot: 8, value: null, before: 'x' };
  assert.deepEqual(unpackRow({ ...plain }), plain);
  assert.deepEqual([...unpackEach([{ value: packValue('registration', REGISTRATION) as unknown as string }])], [{ value: REGISTRATION }]);
});
