import assert from 'node:assert/strict';
import { test } from 'node:test';
import photon from '../../../src/generated/thrift/photon_types.js';
import { chairmanTree } from '../../../src/sources/thrift/chairman-tree.js';
import {
  HOST_A,
  HOST_B,
  HOST_C,
  LEAF_1,
  LEAF_2,
  chairmanAnswer,
  failedAnswer,
  leafChild,
  leafEntry,
  rootEntry,
} from './fixtures.js';

const ROOT = { host: '10.0.0.9', port: 13010 };
const ep = (h: { host: string; port: number }) => ({ host: h.host, port: h.port });
const Code = photon.GetSchedulersResultCode;

test('fanout-2 answer for hosts A, B, C: leaves [A, B] owned by A and [C] owned by C', () => {
  const r = chairmanTree(chairmanAnswer(), ROOT);
  assert.deepEqual(r, {
    ok: true,
    value: {
      rootAddress: ROOT,
      leaves: [
        {
          id: LEAF_1,
          owner: HOST_A.id,
          address: ep(HOST_A),
          hosts: [
            { id: HOST_A.id, address: ep(HOST_A) },
            { id: HOST_B.id, address: ep(HOST_B) },
          ],
        },
        { id: LEAF_2, owner: HOST_C.id, address: ep(HOST_C), hosts: [{ id: HOST_C.id, address: ep(HOST_C) }] },
      ],
    },
  });
});

test('root address is whatever the caller knows, null included', () => {
  const r = chairmanTree(chairmanAnswer(), null);
  assert.ok(r.ok);
  assert.equal(r.value.rootAddress, null);
});

test('an empty hierarchy (root entry without children) is a tree with no leaves', () => {
  const answer = new photon.GetSchedulersResponse({ result: Code.OK, schedulers: [rootEntry([])] });
  assert.deepEqual(chairmanTree(answer, ROOT), { ok: true, value: { rootAddress: ROOT, leaves: [] } });
});

test('OK with the schedulers list unset (Java leaves an empty list unset) is a tree with no leaves', () => {
  const answer = new photon.GetSchedulersResponse({ result: Code.OK });
  assert.deepEqual(chairmanTree(answer, ROOT), { ok: true, value: { rootAddress: ROOT, leaves: [] } });
});

test('owner falls back to the root entry owner_host when the leaf entry has no agent', () => {
  const leaf = leafEntry(LEAF_1, HOST_A, [HOST_A, HOST_B]);
  leaf.agent = undefined;
  const answer = new photon.GetSchedulersResponse({
    result: Code.OK,
    schedulers: [rootEntry([leafChild(LEAF_1, HOST_B)]), leaf],
  });
  const r = chairmanTree(answer, ROOT);
  assert.ok(r.ok);
  assert.equal(r.value.leaves[0]?.owner, HOST_B.id);
  assert.deepEqual(r.value.leaves[0]?.address, ep(HOST_B));
});

test('a leaf listed only under ROOT is kept, with its owner and address, and no hosts', () => {
  const answer = new photon.GetSchedulersResponse({ result: Code.OK, schedulers: [rootEntry([leafChild(LEAF_2, HOST_C)])] });
  const r = chairmanTree(answer, ROOT);
  assert.deepEqual(r.ok && r.value.leaves, [{ id: LEAF_2, owner: HOST_C.id, address: ep(HOST_C), hosts: [] }]);
});

test('a leaf entry missing from ROOT is kept after the ones ROOT lists; its address is its owner child', () => {
  const answer = new photon.GetSchedulersResponse({
    result: Code.OK,
    schedulers: [leafEntry(LEAF_2, HOST_C, [HOST_C]), rootEntry([leafChild(LEAF_1, HOST_A)]), leafEntry(LEAF_1, HOST_A, [HOST_A])],
  });
  const r = chairmanTree(answer, ROOT);
  assert.ok(r.ok);
  assert.deepEqual(
    r.value.leaves.map((l) => [l.id, l.owner, l.address]),
    [
      [LEAF_1, HOST_A.id, ep(HOST_A)],
      [LEAF_2, HOST_C.id, ep(HOST_C)],
    ],
  );
});

test('NOT_LEADER and NOT_IN_MAJORITY are not_leader, with the error text', () => {
  for (const code of [Code.NOT_LEADER, Code.NOT_IN_MAJORITY]) {
    const r = chairmanTree(failedAnswer(code, 'lost the election'), ROOT);
    assert.equal(r.ok, false);
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'not_leader');
    assert.match(r.error.message, new RegExp(`${Code[code]}: lost the election`));
  }
});

test('SYSTEM_ERROR is system_error with the error text; an unknown code too', () => {
  const r = chairmanTree(failedAnswer(Code.SYSTEM_ERROR, 'zk down'), ROOT);
  assert.ok(!r.ok);
  assert.equal(r.error.kind, 'system_error');
  assert.match(r.error.message, /SYSTEM_ERROR: zk down/);
  const unknown = chairmanTree(failedAnswer(42 as photon.GetSchedulersResultCode), ROOT);
  assert.ok(!unknown.ok);
  assert.equal(unknown.error.kind, 'system_error');
  assert.match(unknown.error.message, /result code 42/);
});

test('a reply without a result code is a protocol failure', () => {
  const answer = new photon.GetSchedulersResponse();
  const r = chairmanTree(answer, ROOT);
  assert.ok(!r.ok);
  assert.equal(r.error.kind, 'protocol');
});

test('missing required fields fail the whole answer as protocol, never a shorter tree', () => {
  const cases: Array<[string, (a: photon.GetSchedulersResponse) => void]> = [
    ['role', (a) => ((a.schedulers![1] as { role: unknown }).role = null)],
    ['role.id', (a) => ((a.schedulers![1]!.role as { id: unknown }).id = null)],
    ['host child id', (a) => ((a.schedulers![1]!.role.host_children![0] as { id: unknown }).id = null)],
    ['host child port', (a) => ((a.schedulers![1]!.role.host_children![1] as { port: unknown }).port = null)],
    ['port 0', (a) => (a.schedulers![1]!.role.host_children![1]!.port = 0)],
    ['empty address', (a) => (a.schedulers![0]!.role.scheduler_children![0]!.address = '')],
  ];
  for (const [name, breakIt] of cases) {
    const answer = chairmanAnswer();
    breakIt(answer);
    const r = chairmanTree(answer, ROOT);
    assert.ok(!r.ok, name);
    assert.equal(r.error.kind, 'protocol', name);
  }
});

test('duplicate scheduler ids are a protocol failure', () => {
  const twice = chairmanAnswer();
  twice.schedulers!.push(leafEntry(LEAF_2, HOST_C, [HOST_C]));
  assert.equal(chairmanTree(twice, ROOT).ok, false);
  const twoRoots = chairmanAnswer();
  twoRoots.schedulers!.push(rootEntry([]));
  assert.equal(chairmanTree(twoRoots, ROOT).ok, false);
  const dupChild = new photon.GetSchedulersResponse({
    result: Code.OK,
    schedulers: [rootEntry([leafChild(LEAF_1, HOST_A), leafChild(LEAF_1, HOST_B)])],
  });
  assert.equal(chairmanTree(dupChild, ROOT).ok, false);
});

test('an owner that is not among the host children keeps its id; the address comes from ROOT', () => {
  const answer = new photon.GetSchedulersResponse({
    result: Code.OK,
    schedulers: [rootEntry([leafChild(LEAF_1, HOST_A)]), leafEntry(LEAF_1, HOST_A, [HOST_B])],
  });
  const r = chairmanTree(answer, ROOT);
  assert.ok(r.ok);
  assert.deepEqual(r.value.leaves[0], { id: LEAF_1, owner: HOST_A.id, address: ep(HOST_A), hosts: [{ id: HOST_B.id, address: ep(HOST_B) }] });
});
