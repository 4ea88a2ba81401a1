// Exact edges of drift episodes: which changes concern an item, which single
// ZooKeeper write made them, and when a Stat proves that write.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ZkStat } from '../../../src/model/zk-stat.js';
import type { FactDelta } from '../../../src/query/classify-change.js';
import { concernsItem, singleWrite, withinEdge, writtenNode } from '../../../src/query/episode-times.js';

function stat(version: number, czxid = 'a', mtime = 1000 + version): ZkStat {
  return { ctime: 1000, mtime, czxid, mzxid: 'b', pzxid: 'c', version, cversion: 0, ephemeralOwner: '0' };
}

const missingAdded: FactDelta = { source: 'zk.missing', kind: 'missing', entity: 'h1', before: null, after: {} };
const statusOnline: FactDelta = { source: 'status', kind: 'status', entity: 'h1', before: null, after: { status: 'ONLINE' } };
const placedIn = (host: string, leaf: string | null, was: string | null = null): FactDelta => ({
  source: 'zk.roles',
  kind: 'placement',
  entity: host,
  before: was ? { leaf: was, address: null } : null,
  after: leaf ? { leaf, address: null } : null,
});
const owners = (leaf: string) => ({ L1: 'o1', L2: 'o2' })[leaf] ?? null;

test('the changes an item compares: its host, its leaf and the placements into it, its service, its path', () => {
  const host = { kind: 'missing_but_placed' as const, ids: ['h1'], sources: ['zk.missing', 'zk.roles'] as ('zk.missing' | 'zk.roles')[] };
  assert.ok(concernsItem(host, missingAdded));
  assert.ok(concernsItem(host, placedIn('h1', 'L1')));
  assert.ok(!concernsItem(host, statusOnline), 'status is not a source it compares');
  assert.ok(!concernsItem(host, placedIn('h2', 'L1')));
  const leaf = { kind: 'leaf_hosts_differ' as const, ids: ['L1'], sources: ['zk.roles', 'chairman'] as ('zk.roles' | 'chairman')[] };
  assert.ok(concernsItem(leaf, placedIn('h2', 'L1')));
  assert.ok(concernsItem(leaf, placedIn('h2', 'L2', 'L1')), 'moved out of the leaf');
  assert.ok(!concernsItem(leaf, placedIn('h2', 'L2')));
  const service = { kind: 'service_several_members' as const, ids: ['chairman'], sources: ['zk.services'] as 'zk.services'[] };
  assert.ok(concernsItem(service, { source: 'zk.services', kind: 'member', entity: 'chairman/m-2', before: null, after: {} }));
  assert.ok(!concernsItem(service, { source: 'zk.services', kind: 'member', entity: 'root-scheduler/m-2', before: null, after: {} }));
});

test('one node written: its Stat path; two nodes, a removal or a source without a Stat: none', () => {
  assert.deepEqual(writtenNode([missingAdded], owners), { path: '/missing/h1', field: 'ctime' });
  assert.deepEqual(writtenNode([placedIn('h1', 'L1'), placedIn('h2', null, 'L1')], owners), { path: '/roles/o1', field: 'mtime' });
  assert.equal(writtenNode([placedIn('h1', 'L1'), placedIn('h2', 'L2')], owners), null, 'two leaves written');
  assert.equal(writtenNode([missingAdded, placedIn('h1', 'L1')], owners), null, 'two nodes');
  assert.equal(writtenNode([missingAdded, statusOnline], owners), null, 'a probe changed too');
  assert.equal(writtenNode([{ ...missingAdded, before: {}, after: null }], owners), null, 'a removal leaves no node');
  assert.equal(writtenNode([placedIn('h1', 'L9')], owners), null, 'a leaf without an owner');
  assert.equal(writtenNode([], owners), null);
});

test('a Stat proves a single write: version up by one, or a node created', () => {
  const p = { path: '/roles/o1', field: 'mtime' } as const;
  assert.deepEqual(singleWrite(p, stat(4), stat(3)), { at: 1004, record: 'mtime of /roles/o1' });
  assert.equal(singleWrite(p, stat(5), stat(3)), null, 'two writes: the first may have made it');
  assert.deepEqual(singleWrite(p, stat(0, 'z'), stat(3)), { at: 1000, record: 'mtime of /roles/o1' }, 'recreated');
  assert.deepEqual(singleWrite(p, stat(0), null), { at: 1000, record: 'mtime of /roles/o1' }, 'new to the history');
  assert.equal(singleWrite(p, stat(2, 'z'), stat(3)), null, 'recreated and written since');
  assert.equal(singleWrite(p, null, stat(3)), null, 'no Stat recorded with the edge');
});

test('a time outside the edge bounds proves nothing', () => {
  const e = { at: 1500, record: 'ctime of /missing/h1' };
  assert.deepEqual(withinEdge(e, { id: 1, startedAt: 1000 }, { id: 2, startedAt: 2000 }), e);
  assert.equal(withinEdge(e, { id: 1, startedAt: 1500 }, { id: 2, startedAt: 2000 }), null);
  assert.equal(withinEdge(e, { id: 1, startedAt: 1000 }, { id: 2, startedAt: 1400 }), null);
  assert.equal(withinEdge(e, null, { id: 2, startedAt: 2000 }), null);
});
