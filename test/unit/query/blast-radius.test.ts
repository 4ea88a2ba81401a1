import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blastLine, blastRadius } from '../../../src/query/blast-radius.js';

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
