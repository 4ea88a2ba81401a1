import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import photon from '../../../src/generated/thrift/photon_types.js';
import { decodeHostConfig, decodeRoles, decodeServerAddress, enumName } from '../../../src/sources/zookeeper/decode.js';
import { encodeBinary } from '../../../src/wire/thrift-binary.js';
import { TYPE, field, i32, listHeader, serverAddress, str, struct } from './thrift-bytes.js';

const FIXTURES = new URL('../../fixtures/', import.meta.url);
const index = JSON.parse(readFileSync(new URL('zk-values.json', FIXTURES), 'utf8')) as {
  fixtures: Record<string, { decoder: 'ServerAddress' | 'Roles' | 'HostConfig'; bytes: number; expected: unknown }>;
};
const decoders = { ServerAddress: decodeServerAddress, Roles: decodeRoles, HostConfig: decodeHostConfig };
const fixtureEntries = Object.entries(index.fixtures);
const fixtureBytes = (file: string): Buffer => readFileSync(new URL(file, FIXTURES));

function decodeErrorOf(r: { ok: boolean; error?: { kind: string; message: string } }): string {
  assert.equal(r.ok, false, 'expected a decode error');
  assert.equal(r.error?.kind, 'decode');
  return r.error!.message;
}

function hostConfig(overrides: Partial<photon.HostConfig> = {}): photon.HostConfig {
  return Object.assign(
    new photon.HostConfig({
      agent_id: 'h1',
      availability_zone: 'az',
      datastores: [new photon.Datastore({ id: 'ds1' })],
      address: new photon.ServerAddress({ host: '10.0.0.1', port: 8835 }),
    }),
    overrides,
  );
}

describe('fixtures written by python3-thrift', () => {
  it('has the four fixtures', () => {
    assert.deepEqual(fixtureEntries.map(([f]) => f).sort(), [
      'zk-host-config-2015.bin',
      'zk-host-config-2016.bin',
      'zk-roles-leaf.bin',
      'zk-server-address.bin',
    ]);
  });

  for (const [file, fx] of fixtureEntries) {
    it(`${file} decodes to the expected value`, () => {
      const bytes = fixtureBytes(file);
      assert.equal(bytes.length, fx.bytes);
      const r = decoders[fx.decoder](bytes);
      assert.ok(r.ok, r.ok ? '' : r.error.message);
      assert.deepEqual(r.value, fx.expected);
    });

    it(`${file}: every truncation is a decode error`, () => {
      const bytes = fixtureBytes(file);
      for (let len = 0; len < bytes.length; len++) {
        const r = decoders[fx.decoder](bytes.subarray(0, len));
        assert.equal(r.ok, false, `prefix of ${len}/${bytes.length} bytes decoded`);
        assert.equal(r.error.kind, 'decode');
      }
    });

    it(`${file}: trailing bytes are a decode error`, () => {
      const r = decoders[fx.decoder](Buffer.concat([fixtureBytes(file), Buffer.from([0])]));
      assert.match(decodeErrorOf(r), /1 trailing byte/);
    });
  }
});

describe('decodeServerAddress', () => {
  it('decodes what the generated writer writes', () => {
    const bytes = encodeBinary(new photon.ServerAddress({ host: 'localhost', port: 15000 }));
    assert.deepEqual(decodeServerAddress(bytes), { ok: true, value: { host: 'localhost', port: 15000 } });
  });

  it('rejects an empty value', () => {
    assert.match(decodeErrorOf(decodeServerAddress(Buffer.alloc(0))), /empty value/);
  });

  it('rejects a struct without its required fields', () => {
    assert.match(decodeErrorOf(decodeServerAddress(struct())), /ServerAddress\.host is missing/);
    assert.match(decodeErrorOf(decodeServerAddress(struct(field(TYPE.STRING, 1, str('h'))))), /ServerAddress\.port is missing/);
  });

  it('treats a required field sent with the wrong wire type as missing', () => {
    const bytes = struct(field(TYPE.STRING, 1, str('h')), field(TYPE.STRING, 2, str('15000')));
    assert.match(decodeErrorOf(decodeServerAddress(bytes)), /ServerAddress\.port is missing/);
  });

  it('rejects endpoints that cannot be probed', () => {
    for (const port of [0, -1, 65536, 2 ** 31 - 1]) {
      assert.match(decodeErrorOf(decodeServerAddress(serverAddress('h', port))), /outside 1\.\.65535/);
    }
    assert.match(decodeErrorOf(decodeServerAddress(serverAddress('', 80))), /empty host/);
  });

  it('skips unknown fields (forward compatibility)', () => {
    const bytes = struct(field(TYPE.STRING, 1, str('h')), field(TYPE.I64, 7, Buffer.alloc(8)), field(TYPE.I32, 2, i32(80)));
    assert.deepEqual(decodeServerAddress(bytes), { ok: true, value: { host: 'h', port: 80 } });
  });

  it('rejects a negative or oversized string length', () => {
    const negative = struct(field(TYPE.STRING, 1, i32(-5)), field(TYPE.I32, 2, i32(80)));
    assert.match(decodeErrorOf(decodeServerAddress(negative)), /Negative string size/);
    const huge = Buffer.concat([field(TYPE.STRING, 1, i32(2 ** 31 - 1)), Buffer.from('abc')]);
    assert.match(decodeErrorOf(decodeServerAddress(huge)), /truncated/);
  });

  it('rejects garbage', () => {
    assert.equal(decodeServerAddress(Buffer.from('{"host":"h","port":80}')).ok, false);
    assert.equal(decodeServerAddress(Buffer.from([0xff, 0xff, 0xff, 0xff])).ok, false);
  });
});

describe('decodeRoles', () => {
  const role = (...fields: Buffer[]): Buffer => struct(...fields);
  const roles = (...elements: Buffer[]): Buffer =>
    struct(field(TYPE.LIST, 1, Buffer.concat([listHeader(TYPE.STRUCT, elements.length), ...elements])));

  it('decodes an empty Roles (a lone stop byte) as no schedulers', () => {
    assert.deepEqual(decodeRoles(Buffer.from([0])), { ok: true, value: { schedulers: [] } });
  });

  it('keeps every scheduler (choosing is the reader’s job)', () => {
    const r = decodeRoles(roles(role(field(TYPE.STRING, 1, str('a'))), role(field(TYPE.STRING, 1, str('b')))));
    assert.ok(r.ok);
    assert.deepEqual(r.value.schedulers.map((s) => s.id), ['a', 'b']);
    assert.deepEqual(r.value.schedulers[0], {
      id: 'a',
      parentId: null,
      schedulers: [],
      hosts: [],
      schedulerChildren: [],
      hostChildren: [],
    });
  });

  it('rejects a role without an id and a child without a port', () => {
    assert.match(decodeErrorOf(decodeRoles(roles(role()))), /Roles\.schedulers\[0\]\.id is missing/);
    const child = struct(field(TYPE.STRING, 1, str('h')), field(TYPE.STRING, 2, str('10.0.0.1')));
    const withChild = role(field(TYPE.STRING, 1, str('leaf')), field(TYPE.LIST, 6, Buffer.concat([listHeader(TYPE.STRUCT, 1), child])));
    assert.match(decodeErrorOf(decodeRoles(roles(withChild))), /host_children\[0\]\.port is missing/);
  });

  it('rejects a list whose element type disagrees with the schema', () => {
    const strings = struct(field(TYPE.LIST, 1, Buffer.concat([listHeader(TYPE.STRING, 1), str('abc')])));
    assert.equal(decodeRoles(strings).ok, false);
  });

  it('rejects a negative list size (the runtime alone reads it as an empty list)', () => {
    const bytes = struct(field(TYPE.LIST, 1, listHeader(TYPE.STRUCT, -1)));
    assert.match(decodeErrorOf(decodeRoles(bytes)), /negative size/);
  });

  it('rejects a huge declared list size at once, without building elements', () => {
    // 2^31-1 empty structs declared, followed by a megabyte of stop bytes: the
    // unguarded runtime builds a million SchedulerRoles (~750 ms) first.
    const bytes = Buffer.concat([field(TYPE.LIST, 1, listHeader(TYPE.STRUCT, 2 ** 31 - 1)), Buffer.alloc(1_000_000)]);
    // The message says the size was refused up front; the heap says no elements were built (a
    // million SchedulerRoles take far more than 32 MiB). No clock: a loaded machine makes clocks lie.
    const heapBefore = process.memoryUsage().heapUsed;
    const message = decodeErrorOf(decodeRoles(bytes));
    const grew = process.memoryUsage().heapUsed - heapBefore;
    assert.match(message, /declares 2147483647 element\(s\) but only 1000000 byte\(s\) remain/);
    assert.ok(grew < 32 * 2 ** 20, `heap grew ${(grew / 2 ** 20).toFixed(1)} MiB`);
  });

  it('rejects huge sets and maps inside skipped unknown fields too', () => {
    const set = Buffer.concat([field(TYPE.SET, 9, listHeader(TYPE.I64, 1000)), Buffer.alloc(100)]);
    assert.match(decodeErrorOf(decodeRoles(set)), /set declares 1000/);
    const map = Buffer.concat([field(TYPE.MAP, 9, Buffer.from([TYPE.STRING, TYPE.STRING])), i32(20), Buffer.alloc(100)]);
    assert.match(decodeErrorOf(decodeRoles(map)), /map declares 20/);
  });

  it('rejects containers of invalid element types', () => {
    const bytes = struct(field(TYPE.LIST, 9, listHeader(0x11, 0)));
    assert.match(decodeErrorOf(decodeRoles(bytes)), /invalid element type 17/);
  });

  it('rejects absurdly deep nesting without overflowing the stack', () => {
    let nested = struct();
    for (let i = 0; i < 200; i++) nested = struct(field(TYPE.STRUCT, 9, nested));
    assert.match(decodeErrorOf(decodeRoles(nested)), /depth/);
  });
});

describe('decodeHostConfig', () => {
  it('decodes the 2016 generation written by the generated writer', () => {
    const r = decodeHostConfig(
      encodeBinary(hostConfig({ image_datastore_ids: ['b', 'a'], memory_mb: 1024, cpu_count: 4, management_only: false })),
    );
    assert.ok(r.ok);
    assert.deepEqual(r.value, {
      id: 'h1',
      address: { host: '10.0.0.1', port: 8835 },
      availabilityZone: 'az',
      datastores: [{ id: 'ds1', name: null, type: null, tags: [] }],
      networks: [],
      imageDatastoreIds: ['a', 'b'],
      managementOnly: false,
      memoryMb: 1024,
      cpuCount: 4,
      esxVersion: null,
      deploymentId: null,
    });
  });

  it('prefers the 2016 image datastore set over the 2015 single id, and has none when neither is set', () => {
    const both = decodeHostConfig(encodeBinary(hostConfig({ image_datastore_id: 'old', image_datastore_ids: ['new'] })));
    assert.ok(both.ok);
    assert.deepEqual(both.value.imageDatastoreIds, ['new']);
    const only2015 = decodeHostConfig(encodeBinary(hostConfig({ image_datastore_id: 'old' })));
    assert.ok(only2015.ok);
    assert.deepEqual(only2015.value.imageDatastoreIds, ['old']);
    const neither = decodeHostConfig(encodeBinary(hostConfig()));
    assert.ok(neither.ok);
    assert.deepEqual(neither.value.imageDatastoreIds, []);
  });

  for (const missing of ['agent_id', 'availability_zone', 'datastores', 'address'] as const) {
    it(`rejects a value without required ${missing}`, () => {
      const r = decodeHostConfig(encodeBinary(hostConfig({ [missing]: null })));
      assert.match(decodeErrorOf(r), new RegExp(`HostConfig\\.${missing} is missing`));
    });
  }

  it('rejects a datastore without an id, a network without an id and an unusable address', () => {
    const noDsId = hostConfig({ datastores: [new photon.Datastore({ id: 'x' }), Object.assign(new photon.Datastore(), { name: 'n' })] });
    assert.match(decodeErrorOf(decodeHostConfig(encodeBinary(noDsId))), /HostConfig\.datastores\[1\]\.id is missing/);
    const noNetId = hostConfig({ networks: [Object.assign(new photon.Network(), { types: [0] })] });
    assert.match(decodeErrorOf(decodeHostConfig(encodeBinary(noNetId))), /HostConfig\.networks\[0\]\.id is missing/);
    const badPort = hostConfig({ address: new photon.ServerAddress({ host: 'h', port: 0 }) });
    assert.match(decodeErrorOf(decodeHostConfig(encodeBinary(badPort))), /HostConfig\.address has port 0/);
  });

  it('reads an optional field sent with the wrong wire type as absent, like the Java and Python runtimes', () => {
    const good = encodeBinary(hostConfig());
    // Insert memory_mb (field 11) as a string just before the final stop byte.
    const bytes = Buffer.concat([good.subarray(0, good.length - 1), field(TYPE.STRING, 11, str('1024')), Buffer.from([0])]);
    const r = decodeHostConfig(bytes);
    assert.ok(r.ok);
    assert.equal(r.value.memoryMb, null);
  });

  it('names enum values this IDL does not know', () => {
    assert.equal(enumName(photon.DatastoreType, 1), 'SHARED_VMFS');
    assert.equal(enumName(photon.NetworkType, 99), 'OTHER');
    assert.equal(enumName(photon.DatastoreType, 1234), 'UNKNOWN(1234)');
  });
});

describe('no input makes a decoder throw', () => {
  const all = [decodeServerAddress, decodeRoles, decodeHostConfig];

  it('arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (arr) => {
        for (const decode of all) {
          const r = decode(Buffer.from(arr));
          if (!r.ok) assert.equal(r.error.kind, 'decode');
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('fixtures with bytes overwritten at random', () => {
    const bins = fixtureEntries.map(([file, fx]) => ({ bytes: fixtureBytes(file), decode: decoders[fx.decoder] }));
    fc.assert(
      fc.property(
        fc.nat({ max: bins.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 4 }),
        (which, edits) => {
          const { bytes, decode } = bins[which]!;
          const copy = Buffer.from(bytes);
          for (const [pos, value] of edits) copy[pos % copy.length] = value;
          const r = decode(copy);
          if (!r.ok) assert.equal(r.error.kind, 'decode');
        },
      ),
      { numRuns: 5000 },
    );
  });
});
