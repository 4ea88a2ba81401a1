// Property-based tests (fast-check) over everything that turns peer bytes into
// treesnap values: the ZooKeeper value decoders (Thrift binary) and the
// get_schedulers reply converters (after the runtime's compact decoder, as
// the RPC connection runs it). For any input: no throw, a typed Result, and a
// value that keeps the decoders' promises. "Never hangs" is enforced by the
// runner's timeout, not asserted per case. test/unit/zookeeper/decode.test.ts
// already feeds arbitrary bytes and fixture mutations; this adds
// structure-aware inputs: valid encodings of arbitrary values (round trip),
// their truncations and mutations, arbitrary Thrift trees with wrong field
// types and missing required fields, deep nesting and huge declared sizes.
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import thrift from 'thrift';
import photon from '../../src/generated/thrift/photon_types.js';
import type { GetSchedulersResponse } from '../../src/generated/thrift/photon_types.js';
import type { Endpoint } from '../../src/model/ids.js';
import type { Result } from '../../src/model/result.js';
import { agentLeaf } from '../../src/sources/thrift/agent-leaf.js';
import { getChairmanSchedulers } from '../../src/sources/thrift/chairman-client.js';
import { chairmanTree } from '../../src/sources/thrift/chairman-tree.js';
import { rootChildren } from '../../src/sources/thrift/root-children.js';
import { decodeHostConfig, decodeRoles, decodeServerAddress, enumName } from '../../src/sources/zookeeper/decode.js';
import { encodeBinary } from '../../src/wire/thrift-binary.js';
import { TYPE, field, i32, listHeader, str, struct } from '../unit/zookeeper/thrift-bytes.js';

const RUNS = 1500;

// ---------------------------------------------------------------- checks

function assertEndpoint(e: Endpoint, where: string): void {
  assert.equal(typeof e.host, 'string', where);
  assert.notEqual(e.host, '', `${where}: empty host`);
  assert.ok(Number.isInteger(e.port) && e.port >= 1 && e.port <= 65535, `${where}: port ${e.port}`);
}

/** Whatever the decoder answered is a Result: ok with a usable value, or a 'decode' error with a message. */
function assertDecodeResult(r: Result<unknown, { kind: string; message: string }>, check: (v: never) => void): void {
  assert.equal(typeof r.ok, 'boolean');
  if (!r.ok) {
    assert.equal(r.error.kind, 'decode');
    assert.ok(typeof r.error.message === 'string' && r.error.message.length > 0);
    return;
  }
  check(r.value as never);
}

const checkAddress = (v: Endpoint) => assertEndpoint(v, 'ServerAddress');
const checkRoles = (v: { schedulers: { id: string; schedulerChildren: { address: Endpoint }[]; hostChildren: { address: Endpoint }[] }[] }) => {
  for (const s of v.schedulers) {
    assert.equal(typeof s.id, 'string');
    for (const c of [...s.schedulerChildren, ...s.hostChildren]) assertEndpoint(c.address, `role ${s.id} child`);
  }
};
const checkHost = (v: { id: string; address: Endpoint; datastores: { id: string }[] }) => {
  assert.equal(typeof v.id, 'string');
  assertEndpoint(v.address, 'HostConfig.address');
  for (const d of v.datastores) assert.equal(typeof d.id, 'string');
};

function decodeAll(bytes: Buffer): void {
  assertDecodeResult(decodeServerAddress(bytes), checkAddress);
  assertDecodeResult(decodeRoles(bytes), checkRoles);
  assertDecodeResult(decodeHostConfig(bytes), checkHost);
}

// ---------------------------------------------------------------- arbitraries: valid values

const text = fc.string({ unit: 'binary', maxLength: 12 });
const host = fc.oneof(fc.constantFrom('127.0.0.1', 'esx-01.example', '::1'), fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }));
const port = fc.integer({ min: 1, max: 65535 });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const anyI32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });

const serverAddress = fc.record({ host, port });

const datastore = fc.record({
  id: text,
  name: opt(text),
  type: opt(fc.oneof(fc.constantFrom(0, 1, 2, 3, 4, 5, 99), anyI32)),
  tags: opt(fc.uniqueArray(text, { maxLength: 4 })),
});
const network = fc.record({ id: text, types: opt(fc.array(fc.oneof(fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 99), anyI32), { maxLength: 4 })) });
const hostConfig = fc.record({
  agent_id: text,
  availability_zone: text,
  datastores: fc.array(datastore, { maxLength: 4 }),
  address: serverAddress,
  networks: opt(fc.array(network, { maxLength: 3 })),
  image_datastore_id: opt(text), // 2015
  management_only: opt(fc.boolean()),
  image_datastore_ids: opt(fc.uniqueArray(text, { maxLength: 4 })), // 2016
  memory_mb: opt(anyI32),
  cpu_count: opt(anyI32),
  esx_version: opt(text),
  deployment_id: opt(text),
});
type HostConfigInput = typeof hostConfig extends fc.Arbitrary<infer T> ? T : never;

const childInfo = fc.record({ id: text, address: host, port, weight: opt(anyI32), owner_host: opt(text) });
const schedulerRole = fc.record({
  id: text,
  parent_id: opt(text),
  schedulers: opt(fc.array(text, { maxLength: 3 })),
  hosts: opt(fc.array(text, { maxLength: 3 })),
  scheduler_children: opt(fc.array(childInfo, { maxLength: 3 })),
  host_children: opt(fc.array(childInfo, { maxLength: 3 })),
});
const roles = fc.record({ schedulers: opt(fc.array(schedulerRole, { maxLength: 3 })) });
type RolesInput = typeof roles extends fc.Arbitrary<infer T> ? T : never;

// The generated constructors check required fields; building through them
// proves the arbitrary values are valid encodings.
function hostConfigStruct(v: HostConfigInput): photon.HostConfig {
  return new photon.HostConfig({
    ...v,
    address: new photon.ServerAddress(v.address),
    datastores: v.datastores.map((d) => new photon.Datastore(d)),
    networks: v.networks?.map((n) => new photon.Network(n)),
  });
}

function rolesStruct(v: RolesInput): photon.Roles {
  return new photon.Roles({
    schedulers: v.schedulers?.map(
      (r) =>
        new photon.SchedulerRole({
          ...r,
          scheduler_children: r.scheduler_children?.map((c) => new photon.ChildInfo(c)),
          host_children: r.host_children?.map((c) => new photon.ChildInfo(c)),
        }),
    ),
  });
}

function expectedRegistration(v: HostConfigInput) {
  return {
    id: v.agent_id,
    address: { host: v.address.host, port: v.address.port },
    availabilityZone: v.availability_zone,
    datastores: v.datastores.map((d) => ({
      id: d.id,
      name: d.name ?? null,
      type: d.type === undefined ? null : enumName(photon.DatastoreType, d.type),
      tags: [...(d.tags ?? [])].sort(),
    })),
    networks: (v.networks ?? []).map((n) => ({ id: n.id, types: (n.types ?? []).map((t) => enumName(photon.NetworkType, t)) })),
    imageDatastoreIds: v.image_datastore_ids ? [...v.image_datastore_ids].sort() : v.image_datastore_id !== undefined ? [v.image_datastore_id] : [],
    managementOnly: v.management_only ?? null,
    memoryMb: v.memory_mb ?? null,
    cpuCount: v.cpu_count ?? null,
    esxVersion: v.esx_version ?? null,
    deploymentId: v.deployment_id ?? null,
  };
}

function expectedRoles(v: RolesInput) {
  const child = (c: (typeof v.schedulers & {})[number]['host_children'] & {}) =>
    c.map((x) => ({ id: x.id, address: { host: x.address, port: x.port }, weight: x.weight ?? null, ownerHost: x.owner_host ?? null }));
  return {
    schedulers: (v.schedulers ?? []).map((r) => ({
      id: r.id,
      parentId: r.parent_id ?? null,
      schedulers: r.schedulers ?? [],
      hosts: r.hosts ?? [],
      schedulerChildren: child(r.scheduler_children ?? []),
      hostChildren: child(r.host_children ?? []),
    })),
  };
}

/** Any valid value of any of the three kinds, encoded. */
const validEncoding = fc.oneof(
  serverAddress.map((v) => encodeBinary(new photon.ServerAddress(v))),
  roles.map((v) => encodeBinary(rolesStruct(v))),
  hostConfig.map((v) => encodeBinary(hostConfigStruct(v))),
);

// ---------------------------------------------------------------- arbitraries: any Thrift tree

const SCALARS = [TYPE.BOOL, TYPE.BYTE, TYPE.DOUBLE, TYPE.I16, TYPE.I32, TYPE.I64, TYPE.STRING] as const;
const ALL_TYPES = [...SCALARS, TYPE.STRUCT, TYPE.MAP, TYPE.SET, TYPE.LIST] as const;

function fixed(size: number, write: (b: Buffer, v: number) => void, values: fc.Arbitrary<number>): fc.Arbitrary<Buffer> {
  return values.map((v) => {
    const b = Buffer.alloc(size);
    write(b, v);
    return b;
  });
}

/** The binary encoding of one value of `type`, containers nested at most `depth` deep. */
function valueOf(type: number, depth: number): fc.Arbitrary<Buffer> {
  const inner = depth > 0 ? ALL_TYPES : SCALARS;
  switch (type) {
    case TYPE.BOOL:
    case TYPE.BYTE:
      return fixed(1, (b, v) => b.writeUInt8(v), fc.integer({ min: 0, max: 255 }));
    case TYPE.DOUBLE:
      return fixed(8, (b, v) => b.writeDoubleBE(v), fc.double());
    case TYPE.I16:
      return fixed(2, (b, v) => b.writeInt16BE(v), fc.integer({ min: -32768, max: 32767 }));
    case TYPE.I32:
      return fixed(4, (b, v) => b.writeInt32BE(v), fc.oneof(port, anyI32));
    case TYPE.I64:
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((v) => {
        const b = Buffer.alloc(8);
        b.writeBigInt64BE(v);
        return b;
      });
    case TYPE.STRING:
      return fc.oneof(fc.constantFrom('ROOT', '127.0.0.1', 'h1', ''), text).map(str);
    case TYPE.STRUCT:
      return structOf(depth);
    case TYPE.LIST:
    case TYPE.SET:
      return fc
        .constantFrom(...inner)
        .chain((et) => fc.array(valueOf(et, depth - 1), { maxLength: 4 }).map((els) => Buffer.concat([listHeader(et, els.length), ...els])));
    case TYPE.MAP:
      return fc
        .tuple(fc.constantFrom(...inner), fc.constantFrom(...inner))
        .chain(([kt, vt]) =>
          fc
            .array(fc.tuple(valueOf(kt, depth - 1), valueOf(vt, depth - 1)), { maxLength: 3 })
            .map((kvs) => Buffer.concat([Buffer.from([kt, vt]), i32(kvs.length), ...kvs.flat()])),
        );
    default:
      throw new Error(`no arbitrary for type ${type}`);
  }
}

/** A struct of fields with ids the schemas use (1-14, so wrong types land on real fields) and any type. */
function structOf(depth: number): fc.Arbitrary<Buffer> {
  const types = depth > 0 ? ALL_TYPES : SCALARS;
  const oneField = fc
    .tuple(fc.integer({ min: 1, max: 14 }), fc.constantFrom(...types))
    .chain(([id, t]) => valueOf(t, depth - 1).map((v) => field(t, id, v)));
  return fc.array(oneField, { maxLength: 7 }).map((fields) => struct(...fields));
}

const anyTree = structOf(3);

// ---------------------------------------------------------------- ZooKeeper decoders

describe('ZooKeeper decoders: valid encodings of arbitrary values', () => {
  it('HostConfig (either generation) decodes to exactly what was written', () => {
    fc.assert(
      fc.property(hostConfig, (v) => {
        assert.deepEqual(decodeHostConfig(encodeBinary(hostConfigStruct(v))), { ok: true, value: expectedRegistration(v) });
      }),
      { numRuns: RUNS },
    );
  });

  it('Roles decodes to exactly what was written', () => {
    fc.assert(
      fc.property(roles, (v) => {
        assert.deepEqual(decodeRoles(encodeBinary(rolesStruct(v))), { ok: true, value: expectedRoles(v) });
      }),
      { numRuns: RUNS },
    );
  });

  it('ServerAddress decodes to exactly what was written', () => {
    fc.assert(
      fc.property(serverAddress, (v) => {
        assert.deepEqual(decodeServerAddress(encodeBinary(new photon.ServerAddress(v))), { ok: true, value: { host: v.host, port: v.port } });
      }),
      { numRuns: RUNS },
    );
  });

  it('every strict prefix of a valid encoding is a decode error', () => {
    fc.assert(
      fc.property(validEncoding, fc.nat(), (bytes, cut) => {
        const prefix = bytes.subarray(0, cut % bytes.length);
        for (const decode of [decodeServerAddress, decodeRoles, decodeHostConfig]) {
          const r = decode(prefix);
          assert.equal(r.ok, false, `a ${prefix.length}/${bytes.length}-byte prefix decoded`);
          assert.equal(r.error.kind, 'decode');
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('valid encodings with bytes overwritten, inserted or deleted: a Result, never a throw', () => {
    const edit = fc.oneof(
      fc.tuple(fc.constant('set' as const), fc.nat(), fc.integer({ min: 0, max: 255 })),
      fc.tuple(fc.constant('insert' as const), fc.nat(), fc.integer({ min: 0, max: 255 })),
      fc.tuple(fc.constant('delete' as const), fc.nat(), fc.constant(0)),
    );
    fc.assert(
      fc.property(validEncoding, fc.array(edit, { minLength: 1, maxLength: 5 }), (bytes, edits) => {
        const b = [...bytes];
        for (const [op, at, value] of edits) {
          const i = b.length === 0 ? 0 : at % b.length;
          if (op === 'set') b[i] = value;
          else if (op === 'insert') b.splice(i, 0, value);
          else b.splice(i, 1);
        }
        decodeAll(Buffer.from(b));
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('a required field left out is a decode error naming it', () => {
    const required = fc.constantFrom('agent_id', 'availability_zone', 'datastores', 'address');
    fc.assert(
      fc.property(hostConfig, required, (v, missing) => {
        const s = Object.assign(hostConfigStruct(v), { [missing]: null });
        const r = decodeHostConfig(encodeBinary(s));
        assert.equal(r.ok, false);
        assert.match(r.error.message, new RegExp(`HostConfig\\.${missing} is missing`));
      }),
      { numRuns: RUNS / 3 },
    );
  });
});

describe('ZooKeeper decoders: arbitrary Thrift trees', () => {
  it('any struct of any fields (wrong types on real field ids, unknown fields, nested containers): a Result, never a throw', () => {
    fc.assert(fc.property(anyTree, (bytes) => decodeAll(bytes)), { numRuns: RUNS * 2 });
  });

  it('a HostConfig field sent under another wire type reads as absent: a required one fails, an optional one is null', () => {
    // HostConfig's fields: id -> name, wire type, required.
    const fields: Record<number, [string, number, boolean]> = {
      1: ['agent_id', TYPE.STRING, true],
      2: ['availability_zone', TYPE.STRING, true],
      3: ['datastores', TYPE.LIST, true],
      4: ['address', TYPE.STRUCT, true],
      5: ['networks', TYPE.LIST, false],
      9: ['management_only', TYPE.BOOL, false],
      10: ['image_datastore_ids', TYPE.SET, false],
      11: ['memory_mb', TYPE.I32, false],
      12: ['cpu_count', TYPE.I32, false],
      13: ['esx_version', TYPE.STRING, false],
      14: ['deployment_id', TYPE.STRING, false],
    };
    const registrationKey: Record<string, string> = {
      networks: 'networks', management_only: 'managementOnly', image_datastore_ids: 'imageDatastoreIds',
      memory_mb: 'memoryMb', cpu_count: 'cpuCount', esx_version: 'esxVersion', deployment_id: 'deploymentId',
    };
    const wrongField = fc.constantFrom(...Object.keys(fields).map(Number)).chain((id) =>
      fc
        .constantFrom(...ALL_TYPES.filter((t) => t !== fields[id]![1]))
        .chain((type) => valueOf(type, 1).map((value) => ({ id, type, value }))),
    );
    fc.assert(
      fc.property(hostConfig, wrongField, (v, wrong) => {
        const [name, , required] = fields[wrong.id]!;
        // The field is left out of the struct and sent once, under the wrong type, before the stop byte.
        const good = encodeBinary(Object.assign(hostConfigStruct(v), { [name]: null, ...(wrong.id === 10 ? { image_datastore_id: null } : {}) }));
        const r = decodeHostConfig(Buffer.concat([good.subarray(0, good.length - 1), field(wrong.type, wrong.id, wrong.value), Buffer.from([TYPE.STOP])]));
        if (required) {
          assert.equal(r.ok, false);
          assert.match(r.error.message, new RegExp(`HostConfig\\.${name} is missing`));
          return;
        }
        assert.ok(r.ok, r.ok ? '' : r.error.message);
        const key = registrationKey[name]!;
        const absent = key === 'networks' || key === 'imageDatastoreIds' ? [] : null;
        assert.deepEqual((r.value as unknown as Record<string, unknown>)[key], absent, name);
      }),
      { numRuns: RUNS / 2 },
    );
  });

  it('nesting of any depth up to 20,000: a decode error past the runtime limit, never a stack overflow', () => {
    const kinds = fc.array(fc.constantFrom(TYPE.STRUCT, TYPE.LIST, TYPE.SET, TYPE.MAP), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), kinds, (depth, pattern) => {
        // From the inside out: an empty struct wrapped `depth` times (an
        // unknown field 9, a one-element list or set, or a map's value).
        const prefixes: Buffer[] = [];
        const suffixes: Buffer[] = [];
        let innerType: number = TYPE.STRUCT;
        for (let i = 0; i < depth; i++) {
          const kind = pattern[i % pattern.length]!;
          if (kind === TYPE.STRUCT) {
            prefixes.push(field(innerType, 9, Buffer.alloc(0)));
            suffixes.push(Buffer.from([TYPE.STOP]));
          } else if (kind === TYPE.MAP) prefixes.push(Buffer.concat([Buffer.from([TYPE.I32, innerType]), i32(1), i32(0)]));
          else prefixes.push(listHeader(innerType, 1));
          innerType = kind;
        }
        const nested = Buffer.concat([...prefixes.reverse(), struct(), ...suffixes]);
        const bytes = innerType === TYPE.STRUCT ? nested : struct(field(innerType, 9, nested));
        for (const decode of [decodeServerAddress, decodeRoles, decodeHostConfig]) {
          const r = decode(bytes);
          if (depth > 80) {
            assert.equal(r.ok, false, `depth ${depth} decoded`);
            assert.equal(r.error.kind, 'decode');
          } else if (!r.ok) assert.equal(r.error.kind, 'decode');
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a huge declared list, set or map size fails at once, without allocating for it', () => {
    const payload = Buffer.alloc(1 << 20); // a megabyte of zeros: each one an empty struct or a stop byte
    fc.assert(
      fc.property(
        fc.constantFrom(TYPE.LIST, TYPE.SET, TYPE.MAP),
        fc.constantFrom(...ALL_TYPES),
        fc.integer({ min: 2 ** 21, max: 2 ** 31 - 1 }),
        fc.constantFrom(1, 3, 7, 9),
        (container, element, size, id) => {
          const header = container === TYPE.MAP ? Buffer.concat([Buffer.from([element, element]), i32(size)]) : listHeader(element, size);
          const bytes = Buffer.concat([field(container, id, header), payload]);
          // Refused from the declared size alone (the message says so), and nothing the size of it allocated:
          // no clock, which a loaded machine would make lie.
          const heapBefore = process.memoryUsage().heapUsed;
          for (const decode of [decodeServerAddress, decodeRoles, decodeHostConfig]) {
            const r = decode(bytes);
            assert.equal(r.ok, false);
            assert.match(r.error.message, /declares \d+ element\(s\) but only \d+ byte\(s\) remain|invalid element type|Maximum skip depth/);
          }
          const grew = process.memoryUsage().heapUsed - heapBefore;
          assert.ok(grew < 32 * 2 ** 20, `heap grew ${(grew / 2 ** 20).toFixed(1)} MiB`);
        },
      ),
      { numRuns: 200 },
    );
  });
});

// ---------------------------------------------------------------- get_schedulers replies

/** Encodes with the compact protocol, as the services send replies. */
function encodeCompact(value: GetSchedulersResponse): Buffer {
  let out = Buffer.alloc(0);
  const transport = new thrift.TBufferedTransport(undefined, (buf?: Buffer) => {
    if (buf) out = Buffer.concat([out, buf]);
  });
  (value as unknown as { write(p: thrift.TProtocol): void }).write(new thrift.TCompactProtocol(transport));
  transport.flush();
  return out;
}

/** Decodes as RpcConnection does (compact over the frame's bytes); a throw there is the connection's protocol error. */
function decodeCompact(bytes: Buffer): GetSchedulersResponse | null {
  const value = new photon.GetSchedulersResponse();
  try {
    (value as unknown as { read(p: thrift.TProtocol): void }).read(new thrift.TCompactProtocol(new thrift.TFramedTransport(bytes)));
    return value;
  } catch {
    return null;
  }
}

const REPLY_ERROR_KINDS = new Set(['protocol', 'not_leader', 'system_error']);
const AGENT: Endpoint = { host: '127.0.0.1', port: 8835 };

/** Every converter over one decoded reply: a Result each, with usable endpoints when ok. */
function convertAll(reply: GetSchedulersResponse): void {
  const results: [string, Result<unknown, { kind: string; message: string }>][] = [
    ['chairmanTree', chairmanTree(reply, AGENT)],
    ['chairmanTree (no root address)', chairmanTree(reply, null)],
    ['rootChildren', rootChildren(reply)],
    ['agentLeaf', agentLeaf(reply, AGENT)],
  ];
  for (const [name, r] of results) {
    assert.equal(typeof r.ok, 'boolean', name);
    if (!r.ok) {
      assert.ok(REPLY_ERROR_KINDS.has(r.error.kind), `${name}: kind ${r.error.kind}`);
      assert.ok(r.error.message.length > 0);
    }
  }
  const tree = results[0]![1];
  if (tree.ok) {
    for (const leaf of (tree.value as { leaves: { address: Endpoint | null; hosts: { address: Endpoint | null }[] }[] }).leaves) {
      if (leaf.address) assertEndpoint(leaf.address, 'leaf');
      for (const h of leaf.hosts) if (h.address) assertEndpoint(h.address, 'host');
    }
  }
  const children = results[2]![1];
  if (children.ok) for (const c of children.value as { address: Endpoint }[]) assertEndpoint(c.address, 'root child');
}

// Schema-shaped replies in which any field, required or not, may be absent,
// and numbers take any value: everything the runtime can hand the converters.
const anyPort = fc.oneof(port, anyI32);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const replyChild = fc
  .record({ id: maybe(fc.oneof(text, fc.constantFrom('leaf-1', 'h1'))), address: maybe(host), port: maybe(anyPort), weight: maybe(anyI32), owner_host: maybe(text) })
  .map((c) => Object.assign(new photon.ChildInfo(), c));
const replyRole = fc
  .record({
    id: maybe(fc.oneof(fc.constant('ROOT'), fc.constantFrom('leaf-1', 'leaf-2'), text)),
    parent_id: maybe(text),
    hosts: maybe(fc.array(text, { maxLength: 3 })),
    scheduler_children: maybe(fc.array(replyChild, { maxLength: 4 })),
    host_children: maybe(fc.array(replyChild, { maxLength: 4 })),
  })
  .map((r) => Object.assign(new photon.SchedulerRole(), r));
const replyEntry = fc
  .record({ role: maybe(replyRole), agent: maybe(fc.oneof(text, fc.constant('h1'))) })
  .map((e) => Object.assign(new photon.SchedulerEntry(), e));
const reply = fc
  .record({
    result: maybe(fc.oneof(fc.constantFrom(0, 0, 0, 1, 2, 3), anyI32)),
    error: maybe(text),
    schedulers: maybe(fc.array(replyEntry, { maxLength: 6 })),
  })
  .map((r) => Object.assign(new photon.GetSchedulersResponse(), r));

describe('get_schedulers reply converters', () => {
  it('any schema-shaped reply, required fields absent and numbers anything, through the compact wire: a Result, never a throw', () => {
    fc.assert(
      fc.property(reply, (r) => {
        const decoded = decodeCompact(encodeCompact(r));
        assert.ok(decoded, 'a valid encoding decodes');
        convertAll(decoded);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  // How many inputs got past the Thrift runtime into our converters is counted and shown: an
  // input the runtime throws on tests the runtime, not us, and a property whose every input were
  // thrown on would prove nothing about the converters.
  it('valid replies with bytes mutated or cut: the runtime throws (a protocol error) or the converters answer a Result', (t) => {
    const seen = { runs: 0, converted: 0, schedulers: 0 };
    fc.assert(
      fc.property(reply, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat(), (r, edits, cut) => {
        seen.runs++;
        const bytes = encodeCompact(r);
        for (const [at, value] of edits) bytes[at % bytes.length] = value;
        const decoded = decodeCompact(bytes.subarray(0, edits.length % 2 ? bytes.length : Math.max(1, cut % (bytes.length + 1))));
        if (!decoded) return;
        seen.converted++;
        if (decoded.schedulers?.length) seen.schedulers++;
        convertAll(decoded);
      }),
      { numRuns: RUNS * 2 },
    );
    t.diagnostic(`${seen.converted} of ${seen.runs} inputs reached the converters, ${seen.schedulers} of them with schedulers`);
    assert.ok(seen.converted >= seen.runs / 5, `only ${seen.converted} of ${seen.runs} inputs reached the converters`);
    assert.ok(seen.schedulers >= seen.runs / 10, `only ${seen.schedulers} of ${seen.runs} reached them with schedulers to convert`);
  });

  it('arbitrary bytes: the runtime throws or the converters answer a Result', (t) => {
    const seen = { runs: 0, converted: 0, schedulers: 0 };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (arr) => {
        seen.runs++;
        const decoded = decodeCompact(Buffer.from(arr));
        if (!decoded) return;
        seen.converted++;
        if (decoded.schedulers?.length) seen.schedulers++;
        convertAll(decoded);
      }),
      { numRuns: RUNS * 2 },
    );
    // Random bytes mostly stop the runtime; the ones that decode still reach us. The schema-shaped
    // and mutated properties above are where the converters get most of their inputs.
    t.diagnostic(`${seen.converted} of ${seen.runs} arbitrary inputs reached the converters, ${seen.schedulers} with schedulers`);
    assert.ok(seen.converted > 0, 'no arbitrary input reached the converters');
  });
});

describe('a reply declaring 2^31 entries, over a real socket', () => {
  it('fails as protocol at the end of its 1 MiB frame, before its call timeout and in bounded memory', async () => {
    const { port: at, close } = await hugeListPeer(1 << 20);
    try {
      const heapBefore = process.memoryUsage().heapUsed;
      const r = await getChairmanSchedulers({ host: '127.0.0.1', port: at }, { connectTimeoutMs: 1000, callTimeoutMs: 5000 });
      // protocol, not timeout: it ended at the frame's end, not at the 5 s call timeout.
      assert.equal(r.ok, false);
      assert.equal(r.error.kind, 'protocol');
      assert.match(r.error.message, /undecodable reply/);
      assert.ok(process.memoryUsage().heapUsed - heapBefore < 256 * 2 ** 20, 'bounded by the frame, not by the declared size');
    } finally {
      await close();
    }
  });
});

function varint(n: number): number[] {
  const out: number[] = [];
  for (; n > 0x7f; n = Math.floor(n / 128)) out.push((n & 0x7f) | 0x80);
  out.push(n);
  return out;
}

/**
 * Answers any call with a compact get_schedulers REPLY whose result struct
 * holds result OK and a list<SchedulerEntry> declared 2^31-1 long, followed by
 * `zeros` zero bytes (each reads as one empty entry) and nothing more.
 */
async function hugeListPeer(zeros: number): Promise<{ port: number; close(): Promise<void> }> {
  const name = Buffer.from('get_schedulers');
  const message = Buffer.concat([
    Buffer.from([0x82, 0x41, ...varint(1), ...varint(name.length)]), // protocol id, version 1 | REPLY, seqid 1
    name,
    Buffer.from([0x0c, 0x00]), // field 0 (success): struct
    Buffer.from([0x15, 0x00]), // field 1 (result): i32 0 = OK
    Buffer.from([0x29, 0xfc, ...varint(2 ** 31 - 1)]), // field 3 (schedulers): list<struct>, size 2^31-1
    Buffer.alloc(zeros),
  ]);
  const frame = Buffer.concat([i32(message.length), message]);
  const server = net.createServer((s) => {
    s.on('error', () => {});
    s.once('data', () => s.write(frame));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
