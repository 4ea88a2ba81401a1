import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffFacts } from '../../../src/query/diff.js';
import { allKnown } from '../../../src/query/source-knowledge.js';

const ep = (port: number) => ({ host: '127.0.0.1', port });

test('changes are grouped per source, ordered by category, and counted', () => {
  const r = diffFacts({
    sources: ['zk.roles', 'chairman', 'status'],
    deltas: [
      { source: 'zk.roles', kind: 'placement', entity: 'h5', before: { leaf: 'L3', address: ep(5) }, after: { leaf: 'L9', address: ep(5) } },
      { source: 'zk.roles', kind: 'leaf', entity: 'L9', before: null, after: { owner: 'h5', address: ep(5) } },
      { source: 'zk.roles', kind: 'placement', entity: 'h2', before: { leaf: 'L1', address: ep(2) }, after: { leaf: 'L2', address: ep(2) } },
      { source: 'status', kind: 'status', entity: 'h3', before: { status: 'ONLINE', address: ep(3), message: null }, after: { status: 'OFFLINE', address: ep(3), message: 'refused' } },
      { source: 'zk.hosts', kind: 'registration', entity: 'h9', before: null, after: { address: ep(9) } },
    ],
    members: null,
    knowledge: { from: allKnown(), to: allKnown() },
  });
  assert.equal(r.total, 4, 'a source not asked for is left out');
  assert.deepEqual(
    r.sources.map((s) => [s.source, s.total, s.counts, s.changes.map((c) => `${c.category} ${c.id}`)]),
    [
      ['zk.roles', 3, { leaf_added: 1, host_moved: 2 }, ['leaf_added L9', 'host_moved h2', 'host_moved h5']],
      ['chairman', 0, {}, []],
      ['status', 1, { status_changed: 1 }, ['status_changed h3']],
    ],
  );
});

test('leader changes come from the whole member set at each end', () => {
  const one = new Map([['chairman/n1', { address: ep(1), error: null }], ['root-scheduler/r1', { address: ep(2), error: null }]]);
  const two = new Map([...one, ['chairman/n2', { address: ep(3), error: null }]]);
  const r = diffFacts({
    sources: ['zk.services'],
    deltas: [{ source: 'zk.services', kind: 'member', entity: 'chairman/n2', before: null, after: { address: ep(3), error: null } }],
    members: { before: one, after: two },
    knowledge: { from: allKnown(), to: allKnown() },
  });
  assert.deepEqual(r.sources[0]!.changes, [
    { category: 'leader_changed', id: 'chairman', before: ep(1), after: null },
    { category: 'member_added', id: 'chairman/n2', before: null, after: { address: ep(3), error: null } },
  ]);
});

test('each source carries whether it was read at either end', () => {
  const to = allKnown();
  to.chairman = { known: false, error: { kind: 'unreachable', message: 'ECONNREFUSED' }, lastOkSnapshot: 4 };
  const r = diffFacts({ sources: ['chairman'], deltas: [], members: null, knowledge: { from: allKnown(), to } });
  assert.deepEqual(r.sources[0]!.from, { known: true });
  assert.deepEqual(r.sources[0]!.to, to.chairman);
});
