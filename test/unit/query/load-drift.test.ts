import assert from 'node:assert/strict';
import { test } from 'node:test';
import { driftKey } from '../../../src/query/drift.js';
import { loadDrift } from '../../../src/query/load-drift.js';
import type { ClusterSpec } from '../../support/observation.js';
import { down, row, storeOf } from './store-history.js';

const base: ClusterSpec = { leaves: { L1: ['h1', 'h2'], L2: ['h3', 'h4'] } };

test('a stored snapshot whose sources agree has no drift', () => {
  const db = storeOf([base]);
  const r = loadDrift(db, row(db, 1));
  assert.equal(r.total, 0);
  assert.deepEqual(r.drift, []);
  assert.deepEqual(r.cannotCompare, []);
  assert.ok(r.checks.every((c) => c.unknownSources.length === 0));
});

test('every kind of drift, from faults injected into what the sources said', () => {
  const db = storeOf([
    {
      leaves: { L1: ['h1', 'h2'], L2: ['h3', 'h4'], L3: ['h5'] },
      chairmanLeaves: { L1: ['h2', 'h1'], L2: ['h3'], L4: ['h6'] },
      rootLeaves: { L1: ['h1', 'h2'], L2: ['h3', 'h4'], L3: ['h5'] },
      registrationOverrides: { h3: { address: { host: '10.0.0.3', port: 8835 } } },
      extraRegistered: ['h7'],
      unregistered: ['h5'],
      missing: ['h1', 'h2'],
      offline: ['h2', 'h4'],
      services: { chairman: [], 'root-scheduler': [
        { name: 'node-r1', address: { host: '127.0.0.1', port: 15000 }, error: null },
        { name: 'node-r2', address: { host: '127.0.0.1', port: 15001 }, error: null },
      ] },
      nodeErrors: { hosts: [{ path: '/hosts/h8', kind: 'decode', message: 'not a HostConfig' }] },
      agents: [
        { host: 'h1', state: 'no_role' },
        { host: 'h3', state: 'role', leafId: 'L2', parentId: 'ROOT', hostIds: ['h3'] },
      ],
    },
  ]);
  const r = loadDrift(db, row(db, 1));
  assert.deepEqual(r.drift.map(driftKey), [
    'leaf_in_one_source:L3',
    'leaf_in_one_source:L4',
    'leaf_owner_differs:L1',
    'leaf_hosts_differ:L2',
    'root_children_differ:L1',
    'root_children_differ:L3',
    'root_children_differ:L4',
    'agent_role_differs:L1,h1',
    'agent_hosts_differ:L2,h3',
    'host_address_differs:h3',
    'host_placement_differs:h4',
    'host_placement_differs:h5',
    'host_placement_differs:h6',
    'registered_not_placed:h7',
    'placed_not_registered:h5',
    'missing_but_placed:h1',
    'missing_but_placed:h2',
    'missing_but_online:h1',
    'offline_not_missing:h4',
    'service_no_leader:chairman',
    'service_several_members:root-scheduler',
    'node_error:/hosts/h8',
  ]);
  assert.equal(r.total, 22);
  assert.deepEqual(r.counts.root_children_differ, 3);
});

test('with the chairman unreadable its comparisons are "cannot compare", the rest still drift', () => {
  const db = storeOf([base, { leaves: { L1: ['h1', 'h2'], L2: ['h3', 'h4'] }, chairmanLeaves: { L1: ['h2', 'h1'], L2: ['h3', 'h4'] }, offline: ['h4'], failed: { chairman: down } }]);
  const r = loadDrift(db, row(db, 2));
  assert.deepEqual(r.drift.map(driftKey), ['offline_not_missing:h4']);
  assert.deepEqual(r.cannotCompare, [], 'the stale chairman tree (from #1) agrees with ZooKeeper');
  assert.deepEqual(r.sources.chairman, { known: false, error: down, lastOkSnapshot: 1 });

  const stale = storeOf([{ ...base, chairmanLeaves: { L1: ['h2', 'h1'], L2: ['h3', 'h4'] } }, { ...base, failed: { chairman: down } }]);
  const s = loadDrift(stale, row(stale, 2));
  assert.deepEqual(s.drift, []);
  assert.deepEqual(s.cannotCompare.map((c) => [driftKey(c), c.unknownSources]), [
    ['leaf_owner_differs:L1', ['chairman']],
    ['root_children_differ:L1', ['chairman']],
  ]);
});
