// An agent's get_schedulers reply as its view: a role, no role, or unknown.
// A reply that is not usable is unknown, never "holds no role".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import photon from '../../../src/generated/thrift/photon_types.js';
import { agentFacts } from '../../../src/snapshot/agent-facts.js';
import { agentTargets, agentView } from '../../../src/sources/thrift/read-agents.js';

const child = (id: string, port: number) => new photon.ChildInfo({ id, address: '127.0.0.1', port });
const role = new photon.SchedulerRole({ id: 'leaf-1', parent_id: 'ROOT', host_children: [child('h2', 2), child('h1', 1)] });
const OK = photon.GetSchedulersResultCode.OK;

test('a role, with its parent and sorted host ids', () => {
  const r = new photon.GetSchedulersResponse({ result: OK, schedulers: [new photon.SchedulerEntry({ role, agent: 'h1' })] });
  assert.deepEqual(agentView('h1', r), { host: 'h1', state: 'role', leafId: 'leaf-1', parentId: 'ROOT', hostIds: ['h1', 'h2'] });
});

test('OK with no schedulers is "no role"', () => {
  assert.deepEqual(agentView('h1', new photon.GetSchedulersResponse({ result: OK, schedulers: [] })), { host: 'h1', state: 'no_role' });
  assert.deepEqual(agentView('h1', new photon.GetSchedulersResponse({ result: OK })), { host: 'h1', state: 'no_role' });
});

test('an error code, a missing result or a malformed role is unknown', () => {
  const bad = [
    new photon.GetSchedulersResponse({ result: photon.GetSchedulersResultCode.SYSTEM_ERROR, error: 'boom' }),
    // As read off the wire: the runtime does not enforce `required`, so fields can be absent.
    Object.assign(new photon.GetSchedulersResponse({ result: OK }), { result: undefined }),
    Object.assign(new photon.GetSchedulersResponse({ result: OK }), { schedulers: [{ agent: 'h1' }] }),
  ];
  for (const r of bad) assert.equal(agentView('h1', r).state, 'unknown');
});

test('facts: one per agent asked; an unknown agent is recorded as unknown, not as "no role"', () => {
  const f = agentFacts([
    { host: 'h1', state: 'role', leafId: 'leaf-1', parentId: 'ROOT', hostIds: ['h1'] },
    { host: 'h2', state: 'no_role' },
    { host: 'h3', state: 'unknown', error: { kind: 'timeout', message: 't' } },
  ]);
  assert.deepEqual(
    f.map((x) => [x.entity, x.value]),
    [
      ['h1', { leaf: 'leaf-1', parent: 'ROOT', hosts: ['h1'] }],
      ['h2', { leaf: null, parent: null, hosts: [] }],
      ['h3', { unknown: { kind: 'timeout', message: 't' } }],
    ],
  );
});

test('targets: owners at their registered address (else the leaf address); all: every registered host', () => {
  const reg = new Map([
    ['h1', { host: 'a', port: 1 }],
    ['h2', { host: 'b', port: 2 }],
  ]);
  const owners = new Map([
    ['h2', { host: 'stale', port: 9 }],
    ['h9', { host: 'z', port: 9 }],
    ['h8', null],
  ]);
  assert.deepEqual(agentTargets('owners', owners, reg), [
    { host: 'h2', address: { host: 'b', port: 2 } },
    { host: 'h9', address: { host: 'z', port: 9 } },
  ]);
  assert.deepEqual(
    agentTargets('all', owners, reg).map((t) => t.host),
    ['h1', 'h2'],
  );
});
