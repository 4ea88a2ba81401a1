// Whom the agents source asks (pure): the owners /roles names, or the
// chairman's when ZooKeeper was not read; with neither, or with --agents all
// and no /hosts, whom to ask is unknown, never nobody.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentTargetsOf } from '../../../src/collect/agents-source.js';
import { err, ok } from '../../../src/model/result.js';
import type { SchedulerTree } from '../../../src/model/tree.js';

const ep = (port: number) => ({ host: '127.0.0.1', port });
const tree = (owner: string): SchedulerTree => ({
  rootAddress: ep(1),
  leaves: [{ id: 'L1', owner, address: ep(2), hosts: [{ id: owner, address: ep(2) }] }],
});
const down = err({ kind: 'timeout' as const, message: 'no ZooKeeper session' });
const registrations = ok({ hosts: [{ id: 'h1', address: ep(10) } as never, { id: 'h2', address: ep(11) } as never] });

test("owners: /roles' owners at their registered address", () => {
  const r = agentTargetsOf({ mode: 'owners', zkTree: ok({ tree: tree('h1') }), registrations, chairmanTree: ok(tree('h2')) });
  assert.deepEqual(r, ok([{ host: 'h1', address: ep(10) }]));
});

test("owners with ZooKeeper unreadable: the chairman's owners, at the leaf address when /hosts is unread too", () => {
  const r = agentTargetsOf({ mode: 'owners', zkTree: down, registrations: down, chairmanTree: ok(tree('h2')) });
  assert.deepEqual(r, ok([{ host: 'h2', address: ep(2) }]));
});

test('owners with neither /roles nor the chairman, or all without /hosts: unknown, not nobody', () => {
  const none = agentTargetsOf({ mode: 'owners', zkTree: down, registrations, chairmanTree: down });
  assert.equal(none.ok, false);
  assert.match(!none.ok ? none.error.message : '', /agents to ask unknown: \/roles and the chairman not read \(no ZooKeeper session\)/);
  const all = agentTargetsOf({ mode: 'all', zkTree: ok({ tree: tree('h1') }), registrations: down, chairmanTree: ok(tree('h1')) });
  assert.equal(all.ok, false);
  assert.deepEqual(agentTargetsOf({ mode: 'all', zkTree: down, registrations, chairmanTree: down }), ok([
    { host: 'h1', address: ep(10) },
    { host: 'h2', address: ep(11) },
  ]));
});
