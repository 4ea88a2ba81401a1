import assert from 'node:assert/strict';
import { test } from 'node:test';
import photon from '../../../src/generated/thrift/photon_types.js';
import { rootChildren } from '../../../src/sources/thrift/root-children.js';
import { HOST_A, HOST_C, LEAF_1, LEAF_2, failedAnswer, leafChild, rootAnswer, rootEntry } from './fixtures.js';

const Code = photon.GetSchedulersResultCode;

test("the root's children: leaf id, owner host, owner's address", () => {
  assert.deepEqual(rootChildren(rootAnswer()), {
    ok: true,
    value: [
      { id: LEAF_1, owner: HOST_A.id, address: { host: HOST_A.host, port: HOST_A.port } },
      { id: LEAF_2, owner: HOST_C.id, address: { host: HOST_C.host, port: HOST_C.port } },
    ],
  });
});

test('a root configured with no children (role without scheduler_children) has none', () => {
  const answer = new photon.GetSchedulersResponse({ result: Code.OK, schedulers: [rootEntry([])] });
  assert.deepEqual(rootChildren(answer), { ok: true, value: [] });
  const unset = new photon.GetSchedulersResponse({
    result: Code.OK,
    schedulers: [new photon.SchedulerEntry({ role: new photon.SchedulerRole({ id: 'ROOT' }) })],
  });
  assert.deepEqual(rootChildren(unset), { ok: true, value: [] });
});

test('a child without owner_host has a null owner', () => {
  const child = leafChild(LEAF_1, HOST_A);
  child.owner_host = undefined;
  const answer = new photon.GetSchedulersResponse({ result: Code.OK, schedulers: [rootEntry([child])] });
  const r = rootChildren(answer);
  assert.ok(r.ok);
  assert.equal(r.value[0]?.owner, null);
});

test('OK without the root role is a protocol failure, not "no children"', () => {
  for (const schedulers of [undefined, []]) {
    const r = rootChildren(new photon.GetSchedulersResponse({ result: Code.OK, ...(schedulers ? { schedulers } : {}) }));
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'protocol');
  }
});

test('result codes: NOT_LEADER is not_leader, SYSTEM_ERROR is system_error', () => {
  const notLeader = rootChildren(failedAnswer(Code.NOT_LEADER));
  assert.ok(!notLeader.ok);
  assert.equal(notLeader.error.kind, 'not_leader');
  assert.match(notLeader.error.message, /^root scheduler answered NOT_LEADER$/);
  const sys = rootChildren(failedAnswer(Code.SYSTEM_ERROR, 'boom'));
  assert.ok(!sys.ok);
  assert.equal(sys.error.kind, 'system_error');
  assert.match(sys.error.message, /SYSTEM_ERROR: boom/);
});

test('a child with a bad port fails the answer', () => {
  const answer = rootAnswer();
  answer.schedulers![0]!.role.scheduler_children![1]!.port = 70000;
  const r = rootChildren(answer);
  assert.ok(!r.ok);
  assert.equal(r.error.kind, 'protocol');
  assert.match(r.error.message, /scheduler_children\[1\]\.port 70000/);
});
