import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadDiff } from '../../../src/query/load-diff.js';
import { SOURCES } from '../../../src/snapshot/source-name.js';
import type { ClusterSpec } from '../../support/observation.js';
import { down, row, storeOf } from './store-history.js';

const base: ClusterSpec = { leaves: { L1: ['h1', 'h2'], L2: ['h3', 'h4'] } };

function summary(r: ReturnType<typeof loadDiff>): string[] {
  return r.sources.flatMap((s) => s.changes.map((c) => `${s.source} ${c.category} ${c.id}`));
}

test('the diff is exactly the injected change set', () => {
  const changed: ClusterSpec = {
    leaves: { L1: ['h1'], L2: ['h3', 'h4', 'h2'], L9: ['h9'] },
    missing: ['h4'],
    offline: ['h1'],
    registrationOverrides: { h3: { availabilityZone: 'az2' } },
    services: { chairman: [{ name: 'node-c2', address: { host: '127.0.0.1', port: 13001 }, error: null }] },
  };
  const db = storeOf([base, base, base, changed, changed]);
  const r = loadDiff(db, row(db, 2), row(db, 5), SOURCES);
  assert.deepEqual(summary(r), [
    'zk.services leader_changed chairman',
    'zk.services member_added chairman/node-c2',
    'zk.services member_removed chairman/node-c1',
    'zk.roles leaf_added L9',
    'zk.roles host_added h9',
    'zk.roles host_moved h2',
    'zk.hosts registration_added h9',
    'zk.hosts host_config_changed h3',
    'zk.missing missing_added h4',
    'chairman leaf_added L9',
    'chairman host_added h9',
    'chairman host_moved h2',
    'root leaf_added L9',
    'status status_changed h1',
    'status status_changed h9',
  ]);
  assert.equal(r.total, 15);
  assert.deepEqual(r.from, { id: 2, startedAt: row(db, 2).startedAt });
});

test('a change undone before the later snapshot is no difference', () => {
  const db = storeOf([base, { ...base, offline: ['h1'] }, base]);
  assert.equal(loadDiff(db, row(db, 1), row(db, 3), SOURCES).total, 0);
  assert.deepEqual(summary(loadDiff(db, row(db, 1), row(db, 2), SOURCES)), ['status status_changed h1']);
});

test('either order; --source limits the sources', () => {
  const db = storeOf([base, { ...base, offline: ['h1'], missing: ['h1'] }]);
  assert.deepEqual(summary(loadDiff(db, row(db, 2), row(db, 1), ['status'])), ['status status_changed h1']);
  const back = loadDiff(db, row(db, 2), row(db, 1), ['zk.missing']).sources[0]!.changes;
  assert.deepEqual(back, [{ category: 'missing_removed', id: 'h1', before: true, after: false }]);
});

test('a source unknown at an end is compared as last known, and says so', () => {
  const db = storeOf([base, base, { leaves: { L1: ['h1'], L2: ['h3', 'h4', 'h2'] }, failed: { chairman: down } }]);
  const r = loadDiff(db, row(db, 1), row(db, 3), ['zk.roles', 'chairman']);
  assert.deepEqual(summary(r), ['zk.roles host_moved h2']);
  const chairman = r.sources.find((s) => s.source === 'chairman')!;
  assert.deepEqual(chairman.to, { known: false, error: { kind: 'unreachable', message: 'ECONNREFUSED' }, lastOkSnapshot: 2 });
});
