import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blastHosts, blastLine, blastRadius, driftAffected } from '../../../src/query/blast-radius.js';

const placement = new Map<string, string>();
const zone = new Map<string, string>();
for (let i = 1; i <= 32; i++) placement.set(`h${i}`, 'leaf-2');
for (let i = 33; i <= 40; i++) placement.set(`h${i}`, 'leaf-1');
for (let i = 1; i <= 40; i++) zone.set(`h${i}`, i % 2 ? 'az-1' : 'az-2');

test('affected hosts roll up per leaf (of its hosts) and per zone', () => {
  const b = blastRadius({ affectedHosts: ['h1', 'h2', 'h3', 'h33', 'h99'], placement, zone });
  assert.deepEqual(b.leaves, [
    { id: 'leaf-2', affected: 3, total: 32 },
    { id: 'leaf-1', affected: 1, total: 8 },
  ]);
  assert.deepEqual(b.zones, [
    { id: 'az-1', affected: 3 },
    { id: 'az-2', affected: 1 },
  ]);
  assert.equal(b.unplaced, 1);
  assert.equal(b.unzoned, 1);
  assert.equal(
    blastLine(b, 'affected'),
    'leaf-2: 3 of 32 hosts affected; leaf-1: 1 of 8 hosts affected; az-1: 3 hosts affected; az-2: 1 host affected; 1 host in no leaf',
  );
});

test('a host named by several items counts once; nothing affected is an empty roll-up', () => {
  const b = blastRadius({ affectedHosts: ['h1', 'h1'], placement, zone });
  assert.deepEqual(b.leaves, [{ id: 'leaf-2', affected: 1, total: 32 }]);
  assert.deepEqual(blastRadius({ affectedHosts: [], placement, zone }), { leaves: [], zones: [], unplaced: 0, unzoned: 0 });
});

test('a leaf affected whole counts every host placed in it', () => {
  const b = blastRadius({ affectedHosts: ['h33'], affectedLeaves: ['leaf-2'], placement, zone });
  assert.deepEqual(b.leaves, [
    { id: 'leaf-2', affected: 32, total: 32 },
    { id: 'leaf-1', affected: 1, total: 8 },
  ]);
});

test("drift items affect what the drift-kind registry says: one host, a whole leaf, a list's differences, or nothing", () => {
  const affected = driftAffected([
    { kind: 'offline_not_missing', ids: ['h5'], sides: {} },
    { kind: 'agent_role_differs', ids: ['leaf-2', 'h1'], sides: {} },
    { kind: 'leaf_hosts_differ', ids: ['leaf-1'], sides: { 'zk.roles': ['h33', 'h34'], chairman: ['h34', 'h35'] } },
    { kind: 'service_no_leader', ids: ['chairman'], sides: {} },
    { kind: 'node_error', ids: ['/hosts/h9'], sides: {} },
  ]);
  assert.deepEqual(affected, { hosts: ['h5', 'h33', 'h35'], leaves: ['leaf-2'] });
});

test('a text line names the ten most affected leaves and counts the rest with their hosts; zones and the unplaced follow', () => {
  const many = new Map<string, string>();
  const affected: string[] = [];
  // Leaf i has i + 1 hosts, all affected: leaves 11..0 by most affected, then by id.
  for (let leaf = 0; leaf < 12; leaf++) {
    for (let h = 0; h <= leaf; h++) {
      many.set(`h${leaf}-${h}`, `leaf-${String(leaf).padStart(2, '0')}`);
      affected.push(`h${leaf}-${h}`);
    }
  }
  const b = blastRadius({ affectedHosts: [...affected, 'lost'], placement: many, zone: new Map([['h0-0', 'az-1']]) });
  assert.equal(b.leaves.length, 12);
  const parts = blastLine(b, 'missing').split('; ');
  assert.deepEqual(
    parts.slice(0, 10),
    [11, 10, 9, 8, 7, 6, 5, 4, 3, 2].map((l) => `leaf-${String(l).padStart(2, '0')}: ${l + 1} of ${l + 1} hosts missing`),
  );
  // leaf-01 (2 hosts) and leaf-00 (1 host) are counted, not named.
  assert.deepEqual(parts.slice(10), ['2 more leaves: 3 hosts missing', 'az-1: 1 host missing', '1 host in no leaf']);
  assert.equal(blastHosts(b), affected.length + 1);
  // One leaf over ten: counted in the singular.
  const eleven = blastRadius({ affectedHosts: affected.filter((h) => !h.startsWith('h0-')), placement: many, zone: new Map() });
  assert.equal(blastLine(eleven, 'missing').split('; ')[10], '1 more leaf: 2 hosts missing');
  // Ten leaves or fewer: all named, nothing counted.
  const ten = blastRadius({ affectedHosts: affected.filter((h) => !h.startsWith('h0-') && !h.startsWith('h1-')), placement: many, zone: new Map() });
  assert.equal(blastLine(ten, 'missing').split('; ').length, 10);
});
