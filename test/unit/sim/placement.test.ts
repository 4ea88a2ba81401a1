import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Placement } from '../../../src/sim/placement.js';

function ids(): () => string {
  let n = 0;
  return () => `leaf-${++n}`;
}

function shape(p: Placement): string[][] {
  return p.leaves().map((l) => [...l.hosts]);
}

describe('placement', () => {
  it('fanout 2, hosts A, B, C in order: leaves [A, B] owned by A and [C] owned by C', () => {
    const p = new Placement(2);
    const next = ids();
    const placed = ['A', 'B', 'C'].map((h) => p.place(h, next));
    assert.deepEqual(
      placed.map((r) => (r.ok ? r.value : null)),
      [
        { leafId: 'leaf-1', ownerBefore: null, ownerAfter: 'A' },
        { leafId: 'leaf-1', ownerBefore: 'A', ownerAfter: 'A' },
        { leafId: 'leaf-2', ownerBefore: null, ownerAfter: 'C' },
      ],
    );
    assert.deepEqual(shape(p), [['A', 'B'], ['C']]);
  });

  it('refuses to place a host twice', () => {
    const p = new Placement(2);
    p.place('A', ids());
    assert.equal(p.place('A', ids()).ok, false);
  });

  it('an owner leaving hands the leaf to the next oldest host; the last host leaving drops the leaf', () => {
    const p = new Placement(3);
    const next = ids();
    for (const h of ['A', 'B', 'C', 'D']) p.place(h, next);
    assert.deepEqual(p.remove('A'), { leafId: 'leaf-1', ownerBefore: 'A', ownerAfter: 'B' });
    assert.deepEqual(p.remove('D'), { leafId: 'leaf-2', ownerBefore: 'D', ownerAfter: null });
    assert.equal(p.leaf('leaf-2'), null);
    assert.deepEqual(shape(p), [['B', 'C']]);
    assert.equal(p.remove('nobody'), null);
  });

  it('fills the leaf that has had room the longest before creating one', () => {
    const p = new Placement(2);
    const next = ids();
    for (const h of ['A', 'B', 'C', 'D', 'E', 'F']) p.place(h, next);
    p.remove('D'); // leaf-2 gets room first
    p.remove('B'); // then leaf-1
    p.place('G', next);
    p.place('H', next);
    p.place('I', next);
    assert.deepEqual(shape(p), [['A', 'H'], ['C', 'G'], ['E', 'F'], ['I']]);
  });

  it('move ignores fanout and reports both leaves', () => {
    const p = new Placement(2);
    const next = ids();
    for (const h of ['A', 'B', 'C', 'D']) p.place(h, next);
    const moved = p.move('A', 'leaf-2');
    assert.ok(moved.ok);
    assert.deepEqual(moved.value, [
      { leafId: 'leaf-1', ownerBefore: 'A', ownerAfter: 'B' },
      { leafId: 'leaf-2', ownerBefore: 'C', ownerAfter: 'C' },
    ]);
    assert.deepEqual(shape(p), [['B'], ['C', 'D', 'A']]);
    assert.equal(p.move('A', 'leaf-2').ok, false);
    assert.equal(p.move('A', 'nope').ok, false);
    assert.equal(p.move('Z', 'leaf-1').ok, false);
  });
});
