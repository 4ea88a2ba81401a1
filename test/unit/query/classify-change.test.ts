import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyChange, type FactDelta } from '../../../src/query/classify-change.js';
import { registration } from '../../support/observation.js';
import { changePhrase } from '../../../src/present/describe-change.js';

const ep = (port: number) => ({ host: '127.0.0.1', port });
const d = (kind: FactDelta['kind'], entity: string, before: unknown, after: unknown, source: FactDelta['source'] = 'zk.roles'): FactDelta => ({
  source,
  kind,
  entity,
  before,
  after,
});

test('leaves: added, removed, owner and address changed', () => {
  const leaf = { owner: 'h1', address: ep(1) };
  assert.deepEqual(classifyChange(d('leaf', 'L1', null, leaf)), [{ category: 'leaf_added', id: 'L1', before: null, after: leaf }]);
  assert.deepEqual(classifyChange(d('leaf', 'L1', leaf, null)), [{ category: 'leaf_removed', id: 'L1', before: leaf, after: null }]);
  assert.deepEqual(classifyChange(d('leaf', 'L1', leaf, { owner: 'h2', address: ep(2) })), [
    { category: 'leaf_owner_changed', id: 'L1', before: 'h1', after: 'h2' },
    { category: 'leaf_address_changed', id: 'L1', before: ep(1), after: ep(2) },
  ]);
  assert.deepEqual(classifyChange(d('child', 'L1', leaf, { ...leaf }, 'root')), []);
});

test('placements: added, removed, moved, address changed', () => {
  const p = { leaf: 'L1', address: ep(1) };
  assert.deepEqual(classifyChange(d('placement', 'h1', null, p)), [{ category: 'host_added', id: 'h1', before: null, after: p }]);
  assert.deepEqual(classifyChange(d('placement', 'h1', p, null)), [{ category: 'host_removed', id: 'h1', before: p, after: null }]);
  assert.deepEqual(classifyChange(d('placement', 'h1', p, { leaf: 'L2', address: ep(1) })), [
    { category: 'host_moved', id: 'h1', before: 'L1', after: 'L2' },
  ]);
  assert.deepEqual(classifyChange(d('placement', 'h1', p, { leaf: 'L1', address: ep(9) })), [
    { category: 'host_address_changed', id: 'h1', before: ep(1), after: ep(9) },
  ]);
});

test('registrations: added, removed, address and exactly the HostConfig fields that changed', () => {
  const { id: _id, ...reg } = registration({ leaves: {} }, 'h1');
  assert.deepEqual(classifyChange(d('registration', 'h1', null, reg, 'zk.hosts')), [
    { category: 'registration_added', id: 'h1', before: null, after: { address: reg.address } },
  ]);
  assert.deepEqual(classifyChange(d('registration', 'h1', reg, null, 'zk.hosts')), [
    { category: 'registration_removed', id: 'h1', before: { address: reg.address }, after: null },
  ]);
  const changed = { ...reg, address: ep(7), availabilityZone: 'az2', datastores: [], memoryMb: 1024 };
  assert.deepEqual(classifyChange(d('registration', 'h1', reg, changed, 'zk.hosts')), [
    { category: 'host_address_changed', id: 'h1', before: reg.address, after: ep(7) },
    {
      category: 'host_config_changed',
      id: 'h1',
      fields: ['availabilityZone', 'datastores', 'memoryMb'],
      before: { availabilityZone: 'az1', datastores: reg.datastores, memoryMb: 65536 },
      after: { availabilityZone: 'az2', datastores: [], memoryMb: 1024 },
    },
  ]);
});

test('missing, members, status flips, node errors', () => {
  assert.deepEqual(classifyChange(d('missing', 'h1', null, true, 'zk.missing')), [{ category: 'missing_added', id: 'h1', before: false, after: true }]);
  assert.deepEqual(classifyChange(d('missing', 'h1', true, null, 'zk.missing')), [{ category: 'missing_removed', id: 'h1', before: true, after: false }]);
  const m = { address: ep(5), error: null };
  assert.deepEqual(classifyChange(d('member', 'chairman/n1', null, m, 'zk.services')), [{ category: 'member_added', id: 'chairman/n1', before: null, after: m }]);
  assert.deepEqual(classifyChange(d('member', 'chairman/n1', m, { address: null, error: 'bad' }, 'zk.services')), [
    { category: 'member_changed', id: 'chairman/n1', before: m, after: { address: null, error: 'bad' } },
  ]);
  const on = { status: 'ONLINE', address: ep(1), message: null };
  assert.deepEqual(classifyChange(d('status', 'h1', on, { ...on, status: 'OFFLINE' }, 'status')), [
    { category: 'status_changed', id: 'h1', before: 'ONLINE', after: 'OFFLINE' },
  ]);
  assert.deepEqual(classifyChange(d('status', 'h1', null, on, 'status')), [{ category: 'status_changed', id: 'h1', before: null, after: 'ONLINE' }]);
  assert.deepEqual(classifyChange(d('status', 'h1', on, { ...on, message: 'slow' }, 'status')), [], 'a new message alone is not a flip');
  const e = { kind: 'decode', message: 'garbage' };
  assert.deepEqual(classifyChange(d('node_error', '/hosts/h1', null, e, 'zk.hosts')), [{ category: 'node_error_added', id: '/hosts/h1', before: null, after: e }]);
  assert.deepEqual(classifyChange(d('node_error', '/hosts/h1', e, null, 'zk.hosts')), [{ category: 'node_error_removed', id: '/hosts/h1', before: e, after: null }]);
});

test("agents: the leaf an agent holds, its host list, and an answer lost or back, each said plainly", () => {
  const held = (leaf: string | null, hosts: string[] = []) => ({ leaf, parent: leaf && 'ROOT', hosts });
  const unknown = (message: string) => ({ unknown: { kind: 'timeout', message } });
  const change = (before: unknown, after: unknown) => classifyChange({ source: 'agents', kind: 'agent_role', entity: 'h1', before, after });
  const phrases = (before: unknown, after: unknown) => change(before, after).map((c) => `${c.category}: ${changePhrase(c)}`);
  assert.deepEqual(phrases(null, held('L1', ['h1'])), ['agent_role_changed: agent not asked → holds L1']);
  assert.deepEqual(phrases(held('L1', ['h1']), held(null)), ['agent_role_changed: agent holds L1 → holds no role']);
  assert.deepEqual(phrases(held('L1', ['h1', 'h2']), held('L1', ['h1', 'h3'])), ["agent_hosts_changed: agent's L1 hosts +h3 −h2"]);
  assert.deepEqual(phrases(held('L1', ['h1']), unknown('a')), ['agent_role_changed: agent holds L1 → unknown (timeout)']);
  assert.deepEqual(change(unknown('a'), unknown('b')), [], 'a new error text alone is not a change');
  assert.deepEqual(change(held('L1', ['h1']), held('L1', ['h1'])), []);
});
