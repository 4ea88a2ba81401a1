import assert from 'node:assert/strict';
import { test } from 'node:test';
import photon from '../../../src/generated/thrift/photon_types.js';
import { agentLeaf } from '../../../src/sources/thrift/agent-leaf.js';
import { HOST_A, HOST_B, LEAF_1, failedAnswer, leafEntry } from './fixtures.js';

const Code = photon.GetSchedulersResultCode;
const AGENT = { host: HOST_A.host, port: HOST_A.port };

test('an agent that owns a leaf answers its role: id, owner, hosts; the leaf runs where we asked', () => {
  const answer = new photon.GetSchedulersResponse({ result: Code.OK, schedulers: [leafEntry(LEAF_1, HOST_A, [HOST_A, HOST_B])] });
  assert.deepEqual(agentLeaf(answer, AGENT), {
    ok: true,
    value: {
      id: LEAF_1,
      owner: HOST_A.id,
      address: AGENT,
      hosts: [
        { id: HOST_A.id, address: { host: HOST_A.host, port: HOST_A.port } },
        { id: HOST_B.id, address: { host: HOST_B.host, port: HOST_B.port } },
      ],
    },
  });
});

test('without `agent`, the owner is the host child listening at the asked address', () => {
  const entry = leafEntry(LEAF_1, HOST_A, [HOST_B, HOST_A]);
  entry.agent = undefined;
  const answer = new photon.GetSchedulersResponse({ result: Code.OK, schedulers: [entry] });
  const r = agentLeaf(answer, AGENT);
  assert.ok(r.ok);
  assert.equal(r.value?.owner, HOST_A.id);
  const elsewhere = agentLeaf(answer, { host: '127.0.0.1', port: 1 });
  assert.ok(elsewhere.ok);
  assert.equal(elsewhere.value?.owner, null);
});

test('OK with no schedulers: the agent runs no leaf (null)', () => {
  assert.deepEqual(agentLeaf(new photon.GetSchedulersResponse({ result: Code.OK }), AGENT), { ok: true, value: null });
  assert.deepEqual(agentLeaf(new photon.GetSchedulersResponse({ result: Code.OK, schedulers: [] }), AGENT), {
    ok: true,
    value: null,
  });
});

test('an error code is an error, not "no leaf"', () => {
  const r = agentLeaf(failedAnswer(Code.SYSTEM_ERROR, 'not configured'), AGENT);
  assert.ok(!r.ok);
  assert.equal(r.error.kind, 'system_error');
});
