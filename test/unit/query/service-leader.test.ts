import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serviceLeader, serviceMembers, serviceNames, serviceOfMember } from '../../../src/query/service-leader.js';

const ep = (port: number) => ({ host: '127.0.0.1', port });

test('the leader is the only member, when its address is readable', () => {
  const one = new Map([['chairman/node-b', { address: ep(2), error: null }]]);
  assert.deepEqual(serviceLeader(one, 'chairman'), ep(2));
  assert.equal(serviceLeader(one, 'root-scheduler'), null, 'no member: no leader');
  const two = new Map([...one, ['chairman/node-a', { address: ep(1), error: null }]]);
  assert.equal(serviceLeader(two, 'chairman'), null, 'several members: no leader');
  assert.deepEqual(serviceMembers(two, 'chairman').map((m) => m.name), ['node-a', 'node-b']);
  const garbled = new Map([['chairman/node-a', { address: null, error: 'decode: short read' }]]);
  assert.equal(serviceLeader(garbled, 'chairman'), null);
});

test('service names come from member entities plus the expected ones', () => {
  assert.equal(serviceOfMember('root-scheduler/node-1'), 'root-scheduler');
  const members = new Map([['other/x', { address: ep(1), error: null }]]);
  assert.deepEqual(serviceNames(members, ['chairman', 'root-scheduler']), ['chairman', 'other', 'root-scheduler']);
});
