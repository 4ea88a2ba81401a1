// What ZooKeeper's Stat counts against what the collections saw.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ZkStat } from '../../../src/model/zk-stat.js';
import { hiddenChanges, seenChangesIndex, type SeenChange } from '../../../src/query/hidden-changes.js';

const P = { id: 41, startedAt: 1000 };
const S = { id: 42, startedAt: 2000 };

function stat(o: Partial<ZkStat> = {}): ZkStat {
  return { ctime: 1, mtime: 1, czxid: '10', mzxid: '10', pzxid: '10', version: 0, cversion: 0, ephemeralOwner: '0', ...o };
}

const missingAdded = (id: string): SeenChange => ({ source: 'zk.missing', kind: 'missing', entity: id, before: null, after: true });

test('/missing: children created and deleted beyond those seen are hidden', () => {
  const e = hiddenChanges({ path: '/missing', before: stat({ cversion: 3 }), after: stat({ cversion: 7 }), previous: P, snapshot: S }, [missingAdded('h1'), missingAdded('h2')]);
  assert.deepEqual(e, { type: 'hidden_changes', at: { after: P, by: S }, source: 'zk.missing', path: '/missing', changes: 4, seen: 2, recreated: false });
});

test('/missing: every change seen, nothing hidden', () => {
  assert.equal(hiddenChanges({ path: '/missing', before: stat({ cversion: 3 }), after: stat({ cversion: 4 }), previous: P, snapshot: S }, [missingAdded('h1')]), null);
});

test('a registration written twice, one new value seen: one hidden write', () => {
  const seen: SeenChange[] = [{ source: 'zk.hosts', kind: 'registration', entity: 'h1', before: {}, after: {} }];
  const e = hiddenChanges({ path: '/hosts/h1', before: stat({ version: 1 }), after: stat({ version: 3 }), previous: P, snapshot: S }, seen);
  assert.equal(e?.changes, 2);
  assert.equal(e?.seen, 1);
  // Another host's registration does not explain this one.
  const other: SeenChange[] = [{ source: 'zk.hosts', kind: 'registration', entity: 'h2', before: {}, after: {} }];
  assert.equal(hiddenChanges({ path: '/hosts/h1', before: stat({ version: 1 }), after: stat({ version: 2 }), previous: P, snapshot: S }, other)?.seen, 0);
});

test('a node deleted and created again (new czxid) is a hidden change even with the same value', () => {
  const e = hiddenChanges({ path: '/services/chairman/m-1', before: stat({ czxid: '10' }), after: stat({ czxid: '2f' }), previous: P, snapshot: S }, []);
  assert.deepEqual(e && { changes: e.changes, seen: e.seen, recreated: e.recreated, source: e.source }, { changes: 2, seen: 0, recreated: true, source: 'zk.services' });
});

test('paths no source reads are ignored', () => {
  assert.equal(hiddenChanges({ path: '/other', before: stat(), after: stat({ version: 5 }), previous: P, snapshot: S }, []), null);
});

test('an unreadable node created, or written unreadable, was seen: as a node error', () => {
  const created: SeenChange[] = [{ source: 'zk.roles', kind: 'node_error', entity: '/roles/h9', before: null, after: { kind: 'decode', message: 'x' } }];
  assert.equal(hiddenChanges({ path: '/roles', before: stat({ cversion: 2 }), after: stat({ cversion: 3 }), previous: P, snapshot: S }, created), null);
  const garbled: SeenChange[] = [{ source: 'zk.hosts', kind: 'node_error', entity: '/hosts/h1', before: null, after: { kind: 'decode', message: 'x' } }];
  assert.equal(hiddenChanges({ path: '/hosts/h1', before: stat({ version: 1 }), after: stat({ version: 2 }), previous: P, snapshot: S }, garbled), null);
});

test('a diff hands each node the seen changes that may have written it: all of them for a parent, by key for a data node', () => {
  const placement: SeenChange = { source: 'zk.roles', kind: 'placement', entity: 'h1', before: { leaf: 'L1' }, after: { leaf: 'L2' } };
  const leafOfO1: SeenChange = { source: 'zk.roles', kind: 'leaf', entity: 'L1', before: { owner: 'o1' }, after: { owner: 'o1', address: null } };
  const leafOfO2: SeenChange = { source: 'zk.roles', kind: 'leaf', entity: 'L2', before: null, after: { owner: 'o2' } };
  const registration: SeenChange = { source: 'zk.hosts', kind: 'registration', entity: 'h2', before: { cpuCount: 1 }, after: { cpuCount: 2 } };
  const unreadable: SeenChange = { source: 'zk.hosts', kind: 'node_error', entity: '/hosts/h2', before: null, after: { kind: 'decode', message: 'x' } };
  const member: SeenChange = { source: 'zk.services', kind: 'member', entity: 'chairman/m1', before: null, after: { name: 'm1' } };
  const all = [placement, leafOfO1, leafOfO2, registration, unreadable, member, missingAdded('h3')];
  const seenAt = seenChangesIndex(all);
  const same = (path: string, expected: SeenChange[]) => assert.deepEqual(new Set(seenAt(path)), new Set(expected), path);
  // Several lists at once (an error of the node, its own writes, every placement) are all handed over.
  same('/roles/o1', [leafOfO1, placement]);
  same('/roles/o2', [leafOfO2, placement]);
  same('/roles/o9', [placement]);
  same('/hosts/h2', [unreadable, registration]);
  same('/hosts/h9', []);
  same('/services/chairman/m1', [member]);
  same('/missing', all);
  same('/hosts', all);
});
