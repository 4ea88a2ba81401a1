import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { applyFactChange, clusterFactsFrom, emptyClusterFacts, emptyTouched, type FactChange } from '../../../src/query/cluster-facts.js';
import { DriftWalk, RawDrift } from '../../../src/query/drift-walk.js';
import { computeDrift, driftChecks, driftKey, fullScope } from '../../../src/query/drift.js';
import { allKnown, type Knowledge } from '../../../src/query/source-knowledge.js';
import type { SourceName } from '../../../src/snapshot/source-name.js';

const ep = (port: number) => ({ host: '127.0.0.1', port });
const reg = (port: number) => ({ address: ep(port), availabilityZone: 'az1' });
const on = (port: number) => ({ status: 'ONLINE', address: ep(port), message: null });
const off = (port: number) => ({ status: 'OFFLINE', address: ep(port), message: 'refused' });
const member = (port: number) => ({ address: ep(port), error: null });

/** A healthy cluster: leaf L1 = [h1, h2] (owner h1) in every source, both services with one member. */
function healthy(): FactChange[] {
  const out: FactChange[] = [
    { source: 'zk.services', kind: 'member', entity: 'chairman/c1', value: member(13000) },
    { source: 'zk.services', kind: 'member', entity: 'root-scheduler/r1', value: member(15000) },
    { source: 'root', kind: 'child', entity: 'L1', value: { owner: 'h1', address: ep(1) } },
    { source: 'status', kind: 'status', entity: 'ROOT', value: on(15000) },
  ];
  for (const source of ['zk.roles', 'chairman'] as const) {
    out.push({ source, kind: 'leaf', entity: 'L1', value: { owner: 'h1', address: ep(1) } });
    for (const [h, port] of [['h1', 1], ['h2', 2]] as const) out.push({ source, kind: 'placement', entity: h, value: { leaf: 'L1', address: ep(port) } });
  }
  for (const [h, port] of [['h1', 1], ['h2', 2]] as const) {
    out.push({ source: 'zk.hosts', kind: 'registration', entity: h, value: reg(port) });
    out.push({ source: 'status', kind: 'status', entity: h, value: on(port) });
  }
  return out;
}

function driftWith(changes: FactChange[], knowledge: Knowledge = allKnown()) {
  return computeDrift(clusterFactsFrom([...healthy(), ...changes]), knowledge);
}

test('a healthy cluster has no drift', () => {
  assert.deepEqual(driftWith([]), { drift: [], cannotCompare: [] });
});

test('a leaf in one tree source only', () => {
  const r = driftWith([
    { source: 'chairman', kind: 'leaf', entity: 'L2', value: { owner: 'h3', address: ep(3) } },
    { source: 'chairman', kind: 'placement', entity: 'h3', value: { leaf: 'L2', address: ep(3) } },
    { source: 'root', kind: 'child', entity: 'L2', value: { owner: 'h3', address: ep(3) } },
    { source: 'zk.hosts', kind: 'registration', entity: 'h3', value: reg(3) },
  ]);
  assert.deepEqual(r.drift, [
    {
      kind: 'leaf_in_one_source',
      ids: ['L2'],
      sources: ['zk.roles', 'chairman'],
      sides: { 'zk.roles': null, chairman: { owner: 'h3', address: ep(3), hosts: ['h3'] } },
    },
    // The same disagreement per host, so a search for h3 finds it.
    { kind: 'host_placement_differs', ids: ['h3'], sources: ['zk.roles', 'chairman'], sides: { 'zk.roles': null, chairman: 'L2' } },
    { kind: 'registered_not_placed', ids: ['h3'], sources: ['zk.hosts', 'zk.roles'], sides: { 'zk.hosts': { address: ep(3) }, 'zk.roles': null } },
  ]);
});

test('same leaf, different owner; same leaf, different host sets; root children differing from the chairman', () => {
  const r = driftWith([
    { source: 'chairman', kind: 'leaf', entity: 'L1', value: { owner: 'h2', address: ep(2) } },
    { source: 'chairman', kind: 'placement', entity: 'h2', value: null },
  ]);
  assert.deepEqual(r.drift, [
    { kind: 'leaf_owner_differs', ids: ['L1'], sources: ['zk.roles', 'chairman'], sides: { 'zk.roles': 'h1', chairman: 'h2' } },
    { kind: 'leaf_hosts_differ', ids: ['L1'], sources: ['zk.roles', 'chairman'], sides: { 'zk.roles': ['h1', 'h2'], chairman: ['h1'] } },
    {
      kind: 'root_children_differ',
      ids: ['L1'],
      sources: ['root', 'chairman'],
      sides: { root: { owner: 'h1', address: ep(1) }, chairman: { owner: 'h2', address: ep(2) } },
    },
    { kind: 'host_placement_differs', ids: ['h2'], sources: ['zk.roles', 'chairman'], sides: { 'zk.roles': 'L1', chairman: null } },
  ]);
});

test('a root child the chairman does not have', () => {
  const r = driftWith([{ source: 'root', kind: 'child', entity: 'L7', value: { owner: 'h7', address: ep(7) } }]);
  assert.deepEqual(r.drift, [
    { kind: 'root_children_differ', ids: ['L7'], sources: ['root', 'chairman'], sides: { root: { owner: 'h7', address: ep(7) }, chairman: null } },
  ]);
});

test('a host with different addresses names each source that has one', () => {
  const r = driftWith([{ source: 'zk.hosts', kind: 'registration', entity: 'h2', value: reg(99) }]);
  assert.deepEqual(r.drift, [
    {
      kind: 'host_address_differs',
      ids: ['h2'],
      sources: ['zk.roles', 'chairman', 'zk.hosts'],
      sides: { 'zk.roles': ep(2), chairman: ep(2), 'zk.hosts': ep(99) },
    },
  ]);
});

test('placed but not registered; missing but placed; missing but answering; offline but not missing', () => {
  const r = driftWith([
    { source: 'zk.hosts', kind: 'registration', entity: 'h1', value: null },
    { source: 'zk.missing', kind: 'missing', entity: 'h2', value: true },
    { source: 'status', kind: 'status', entity: 'h1', value: off(1) },
  ]);
  assert.deepEqual(r.drift, [
    { kind: 'placed_not_registered', ids: ['h1'], sources: ['zk.roles', 'zk.hosts'], sides: { 'zk.roles': { leaf: 'L1' }, 'zk.hosts': null } },
    { kind: 'missing_but_placed', ids: ['h2'], sources: ['zk.missing', 'zk.roles'], sides: { 'zk.missing': true, 'zk.roles': { leaf: 'L1' } } },
    { kind: 'missing_but_online', ids: ['h2'], sources: ['zk.missing', 'status'], sides: { 'zk.missing': true, status: 'ONLINE' } },
    { kind: 'offline_not_missing', ids: ['h1'], sources: ['status', 'zk.missing'], sides: { status: 'OFFLINE', 'zk.missing': false } },
  ]);
});

test('the root scheduler being OFFLINE is not a host missing from /missing', () => {
  assert.deepEqual(driftWith([{ source: 'status', kind: 'status', entity: 'ROOT', value: off(15000) }]).drift, []);
});

test('services: no leader, several members, an unreadable only member', () => {
  const r = driftWith([
    { source: 'zk.services', kind: 'member', entity: 'chairman/c1', value: null },
    { source: 'zk.services', kind: 'member', entity: 'root-scheduler/r2', value: member(15001) },
  ]);
  assert.deepEqual(r.drift, [
    { kind: 'service_no_leader', ids: ['chairman'], sources: ['zk.services'], sides: { 'zk.services': { members: [] } } },
    {
      kind: 'service_several_members',
      ids: ['root-scheduler'],
      sources: ['zk.services'],
      sides: {
        'zk.services': {
          members: [
            { name: 'r1', address: ep(15000), error: null },
            { name: 'r2', address: ep(15001), error: null },
          ],
        },
      },
    },
  ]);
  const garbled = driftWith([{ source: 'zk.services', kind: 'member', entity: 'chairman/c1', value: { address: null, error: 'decode: short' } }]);
  assert.deepEqual(garbled.drift.map(driftKey), ['service_no_leader:chairman']);
});

test('per-node decode errors', () => {
  const r = driftWith([{ source: 'zk.hosts', kind: 'node_error', entity: '/hosts/h9', value: { kind: 'decode', message: 'bad struct' } }]);
  assert.deepEqual(r.drift, [
    { kind: 'node_error', ids: ['/hosts/h9'], sources: ['zk.hosts'], sides: { 'zk.hosts': { kind: 'decode', message: 'bad struct' } } },
  ]);
});

test('items involving a source unknown in the snapshot are "cannot compare", never drift', () => {
  const k = allKnown();
  k.chairman = { known: false, error: { kind: 'unreachable', message: 'ECONNREFUSED' }, lastOkSnapshot: 3 };
  const r = driftWith(
    [
      { source: 'chairman', kind: 'leaf', entity: 'L1', value: { owner: 'h2', address: ep(2) } },
      { source: 'status', kind: 'status', entity: 'h1', value: off(1) },
    ],
    k,
  );
  assert.deepEqual(r.drift.map(driftKey), ['offline_not_missing:h1']);
  assert.deepEqual(
    r.cannotCompare.map((c) => [driftKey(c), c.unknownSources]),
    [
      ['leaf_owner_differs:L1', ['chairman']],
      ['root_children_differ:L1', ['chairman']],
    ],
  );
  const checks = driftChecks(k).filter((c) => c.unknownSources.length).map((c) => c.kind);
  assert.deepEqual(checks, ['leaf_in_one_source', 'leaf_owner_differs', 'leaf_hosts_differ', 'root_children_differ', 'host_address_differs', 'host_placement_differs']);
});

const agent = (value: unknown): FactChange => ({ source: 'agents', kind: 'agent_role', entity: 'h1', value });

test("the owner's agent: holding its leaf with /roles' hosts agrees; not asked is no item", () => {
  assert.deepEqual(driftWith([agent({ leaf: 'L1', parent: 'ROOT', hosts: ['h1', 'h2'] })]), { drift: [], cannotCompare: [] });
  assert.deepEqual(driftWith([]), { drift: [], cannotCompare: [] });
});

test("the owner's agent holding no role, another leaf, or other hosts", () => {
  const role = (leaf: string | null, hosts: string[]) => driftWith([agent({ leaf, parent: 'ROOT', hosts })]).drift;
  assert.deepEqual(role(null, []), [
    { kind: 'agent_role_differs', ids: ['L1', 'h1'], sources: ['zk.roles', 'agents'], sides: { 'zk.roles': 'L1', agents: null } },
  ]);
  assert.deepEqual(role('L9', ['h1']).map((d) => [driftKey(d), d.sides]), [['agent_role_differs:L1,h1', { 'zk.roles': 'L1', agents: 'L9' }]]);
  assert.deepEqual(role('L1', ['h1', 'h9']), [
    { kind: 'agent_hosts_differ', ids: ['L1', 'h1'], sources: ['zk.roles', 'agents'], sides: { 'zk.roles': ['h1', 'h2'], agents: ['h1', 'h9'] } },
  ]);
});

test('an agent that did not answer is "cannot compare", never drift, though its source was read', () => {
  const r = driftWith([agent({ unknown: { kind: 'timeout', message: 'no reply' } })]);
  assert.deepEqual(r.drift, []);
  assert.deepEqual(r.cannotCompare.map((c) => [driftKey(c), c.unknownSources]), [['agent_role_differs:L1,h1', ['agents']]]);
});

// Random fact changes applied one batch at a time: the incremental walk must
// always agree with checking everything from scratch.
const SOURCES_USED: SourceName[] = ['zk.roles', 'chairman', 'zk.hosts', 'zk.missing', 'root', 'status', 'zk.services', 'agents'];
const hostId = fc.constantFrom('h1', 'h2', 'h3', 'h4');
const leafId = fc.constantFrom('L1', 'L2', 'L3');
const change: fc.Arbitrary<FactChange> = fc.oneof(
  fc.record({ source: fc.constantFrom<SourceName>('zk.roles', 'chairman'), kind: fc.constant('placement' as const), entity: hostId, value: fc.option(fc.record({ leaf: leafId, address: fc.constantFrom(ep(1), ep(2)) })) }),
  fc.record({ source: fc.constantFrom<SourceName>('zk.roles', 'chairman'), kind: fc.constant('leaf' as const), entity: leafId, value: fc.option(fc.record({ owner: fc.option(hostId), address: fc.constant(ep(1)) })) }),
  fc.record({ source: fc.constant<SourceName>('root'), kind: fc.constant('child' as const), entity: leafId, value: fc.option(fc.record({ owner: fc.option(hostId), address: fc.constant(ep(1)) })) }),
  fc.record({ source: fc.constant<SourceName>('zk.hosts'), kind: fc.constant('registration' as const), entity: hostId, value: fc.option(fc.constantFrom(reg(1), reg(2))) }),
  fc.record({ source: fc.constant<SourceName>('zk.missing'), kind: fc.constant('missing' as const), entity: hostId, value: fc.option(fc.constant(true)) }),
  fc.record({ source: fc.constant<SourceName>('status'), kind: fc.constant('status' as const), entity: hostId, value: fc.option(fc.constantFrom(on(1), off(1))) }),
  fc.record({ source: fc.constant<SourceName>('zk.services'), kind: fc.constant('member' as const), entity: fc.constantFrom('chairman/a', 'chairman/b'), value: fc.option(fc.constant(member(1))) }),
  // An agent's own view: a leaf (with hosts), no role, or unknown; its checks run per leaf it owns by /roles.
  fc.record({
    source: fc.constant<SourceName>('agents'),
    kind: fc.constant('agent_role' as const),
    entity: hostId,
    value: fc.option(
      fc.oneof(
        fc.record({ leaf: fc.option(leafId), parent: fc.constant('ROOT'), hosts: fc.constantFrom([], ['h1'], ['h1', 'h2']) }),
        fc.constant({ unknown: { kind: 'timeout', message: 't' } }),
      ),
    ),
  }),
);
const batch = fc.record({ changes: fc.array(change, { maxLength: 4 }), unknown: fc.subarray(SOURCES_USED, { maxLength: 2 }) });

test('the incremental walk agrees with a full check after every batch of changes', () => {
  fc.assert(
    fc.property(fc.array(batch, { minLength: 1, maxLength: 12 }), (batches) => {
      const facts = emptyClusterFacts();
      const raw = new RawDrift(facts);
      const walk = new DriftWalk();
      walk.known = new Set(SOURCES_USED);
      const current = new Map<string, string>();
      for (const [key, st] of walk.update(raw.recheck(fullScope(facts)), false)) current.set(key, `${st!.status} ${JSON.stringify(st!.item.sides)}`);
      for (const b of batches) {
        const touched = emptyTouched();
        for (const c of b.changes) applyFactChange(facts, c, touched);
        const known = new Set(SOURCES_USED.filter((s) => !b.unknown.includes(s)));
        const reclassify = known.size !== walk.known.size || [...known].some((s) => !walk.known.has(s));
        walk.known = known;
        for (const [key, st] of walk.update(raw.recheck(touched), reclassify)) {
          if (st) current.set(key, `${st.status} ${JSON.stringify(st.item.sides)}`);
          else current.delete(key);
        }
        const k = allKnown();
        for (const s of b.unknown) k[s] = { known: false, error: { kind: 'timeout', message: '' }, lastOkSnapshot: null };
        const full = computeDrift(facts, k);
        const expected = new Map<string, string>([
          ...full.drift.map((i) => [driftKey(i), `drift ${JSON.stringify(i.sides)}`] as [string, string]),
          ...full.cannotCompare.map((i) => [driftKey(i), `cannot_compare ${JSON.stringify(i.sides)}`] as [string, string]),
        ]);
        assert.deepEqual(new Map([...current].sort()), new Map([...expected].sort()));
      }
    }),
    { numRuns: 300 },
  );
});
