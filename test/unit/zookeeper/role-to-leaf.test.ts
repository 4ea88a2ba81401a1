import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { roleToLeaf } from '../../../src/sources/zookeeper/role-to-leaf.js';
import type { SchedulerRoleValue } from '../../../src/sources/zookeeper/roles-value.js';

function role(hostChildren: Array<[string, string, number]>): SchedulerRoleValue {
  return {
    id: 'leaf-1',
    parentId: 'ROOT',
    schedulers: [],
    hosts: hostChildren.map(([id]) => id),
    schedulerChildren: [],
    hostChildren: hostChildren.map(([id, host, port]) => ({ id, address: { host, port }, weight: null, ownerHost: null })),
  };
}

describe('roleToLeaf', () => {
  it('owner is the host child named like the /roles node; the leaf listens at the owner', () => {
    const leaf = roleToLeaf('b', role([['a', 'ha', 1], ['b', 'hb', 2]]));
    assert.deepEqual(leaf, {
      id: 'leaf-1',
      owner: 'b',
      address: { host: 'hb', port: 2 },
      hosts: [
        { id: 'a', address: { host: 'ha', port: 1 } },
        { id: 'b', address: { host: 'hb', port: 2 } },
      ],
    });
  });

  it('has no owner and no address when no host child matches', () => {
    const leaf = roleToLeaf('zzz', role([['a', 'ha', 1]]));
    assert.equal(leaf.owner, null);
    assert.equal(leaf.address, null);
    assert.equal(leaf.hosts.length, 1);
  });

  it('a role without host children is a leaf without hosts', () => {
    assert.deepEqual(roleToLeaf('a', role([])), { id: 'leaf-1', owner: null, address: null, hosts: [] });
  });
});
