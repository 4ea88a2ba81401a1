import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TreeFacts } from '../../../src/query/cluster-facts.js';
import { agentDrift, hostPlacementDrift, placementLine, type AgentViews } from '../../../src/query/drift-agents.js';

/** leaf id → [owner, hosts] */
function tree(leaves: Record<string, [string | null, string[]]>): TreeFacts {
  const t: TreeFacts = { leaves: new Map(), placements: new Map(), leafHosts: new Map() };
  for (const [id, [owner, hosts]] of Object.entries(leaves)) {
    t.leaves.set(id, { owner, address: null });
    t.leafHosts.set(id, new Set(hosts));
    for (const h of hosts) t.placements.set(h, { leaf: id, address: null });
  }
  return t;
}
const zk = tree({ 'leaf-1': ['h1', ['h1', 'h2']], 'leaf-2': ['h3', ['h3', 'h4']] });

test('agents that hold the leaf ZooKeeper names, with its hosts, give no item', () => {
  const agents: AgentViews = new Map([
    ['h1', { leaf: 'leaf-1', parent: 'ROOT', hosts: ['h1', 'h2'] }],
    ['h3', { leaf: 'leaf-2', parent: 'ROOT', hosts: ['h3', 'h4'] }],
  ]);
  assert.deepEqual(agentDrift(zk, agents), { drift: [], cannotCompare: [] });
});

test('an owner holding no role, or another leaf, is agent_role_differs', () => {
  const agents: AgentViews = new Map([
    ['h1', { leaf: null, parent: null, hosts: [] }],
    ['h3', { leaf: 'leaf-1', parent: 'ROOT', hosts: ['h1', 'h2'] }],
  ]);
  const r = agentDrift(zk, agents);
  assert.deepEqual(
    r.drift.map((d) => [d.kind, d.ids, d.sides]),
    [
      ['agent_role_differs', ['leaf-1', 'h1'], { 'zk.roles': 'leaf-1', agents: null }],
      ['agent_role_differs', ['leaf-2', 'h3'], { 'zk.roles': 'leaf-2', agents: 'leaf-1' }],
    ],
  );
});

test('an owner reporting other hosts is agent_hosts_differ', () => {
  const agents: AgentViews = new Map([['h1', { leaf: 'leaf-1', parent: 'ROOT', hosts: ['h1', 'h9'] }]]);
  const r = agentDrift(zk, agents);
  assert.equal(r.drift.length, 1);
  assert.equal(r.drift[0]!.kind, 'agent_hosts_differ');
  assert.deepEqual(r.drift[0]!.sides, { 'zk.roles': ['h1', 'h2'], agents: ['h1', 'h9'] });
});

test('an unknown agent is cannot compare, never drift; agents not asked are skipped', () => {
  const r = agentDrift(zk, new Map([['h1', 'unknown']]));
  assert.deepEqual(r.drift, []);
  assert.deepEqual(
    r.cannotCompare.map((c) => [c.kind, c.ids, c.unknownSources]),
    [
      ['agent_role_differs', ['leaf-1', 'h1'], ['agents']],
      ['agent_hosts_differ', ['leaf-1', 'h1'], ['agents']],
    ],
  );
});

test('host_placement_differs names each host whose leaf differs between the trees', () => {
  const chairman = tree({ 'leaf-1': ['h1', ['h1']], 'leaf-2': ['h3', ['h3', 'h4', 'h2']], 'leaf-3': ['h6', ['h6']] });
  const items = hostPlacementDrift(zk, chairman);
  assert.deepEqual(items.map(placementLine), ['h2: zk.roles leaf-1, chairman leaf-2', 'h6: zk.roles none, chairman leaf-3']);
  assert.ok(items.every((i) => i.kind === 'host_placement_differs' && i.ids.length === 1));
});
