import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KindGroups } from '../../../src/store/checkpoint-format.js';
import { addDamage, formatRange, type Damage } from '../../../src/verify/damage.js';
import { emptyClusterFacts } from '../../../src/query/cluster-facts.js';
import { driftItems, driftKey } from '../../../src/query/drift.js';
import { DriftRecheck } from '../../../src/verify/drift-recheck.js';
import { SourceReplay } from '../../../src/verify/source-replay.js';

const cp = (pairs: Record<string, string[]>): KindGroups => new Map(Object.entries(pairs)) as KindGroups;

test('a replay equal to the checkpoint compares equal, whatever the order of its facts', () => {
  const r = new SourceReplay();
  r.apply([
    { kind: 'status', entity: 'h1', value: '"A"' },
    { kind: 'status', entity: 'h2', value: '"B"' },
    { kind: 'status', entity: 'h1', value: null },
    { kind: 'status', entity: 'h1', value: '"C"' },
  ]);
  assert.equal(r.compare(cp({ status: ['h2', '"B"', 'h1', '"C"'] })), null);
});

test('a checkpoint with a different value, an extra or a missing fact differs', () => {
  const r = new SourceReplay();
  r.apply([{ kind: 'status', entity: 'h1', value: '"A"' }, { kind: 'status', entity: 'h2', value: '"B"' }]);
  assert.deepEqual(r.compare(cp({ status: ['h1', '"X"', 'h2', '"B"'] })), { differing: 1, missing: 0, example: 'status h1' });
  assert.deepEqual(r.compare(cp({ status: ['h1', '"A"'] })), { differing: 0, missing: 1, example: 'status h2' });
  assert.deepEqual(r.compare(cp({ status: ['h1', '"A"', 'h2', '"B"', 'h3', '"C"'] })), { differing: 1, missing: 0, example: 'status h3' });
});

test('after lost versions the state is unknown (nothing compared) until a checkpoint makes it whole again', () => {
  const r = new SourceReplay();
  r.apply([{ kind: 'status', entity: 'h1', value: '"A"' }]);
  r.lose();
  assert.equal(r.known, false);
  assert.equal(r.compare(cp({ status: ['h9', '"Z"'] })), null);
  r.reset(cp({ status: ['h9', '"Z"'] }));
  assert.equal(r.known, true);
  r.apply([{ kind: 'status', entity: 'h9', value: null }]);
  assert.equal(r.compare(cp({})), null);
});

test('findings merge when their ranges touch, and only then', () => {
  const list: Damage[] = [];
  const d = (from: number, to = from): Damage => ({ kind: 'drift', source: 'drift', from, to, detail: 'x' });
  addDamage(list, d(3));
  addDamage(list, d(4, 6));
  addDamage(list, d(8));
  addDamage(list, { ...d(9), detail: 'other' });
  assert.deepEqual(list.map((x) => formatRange(x.from, x.to)), ['#3-#6', '#8', '#9']);
  assert.equal(formatRange(null, null), 'whole file');
});

test('drift recomputed from the facts agrees with a record of the same drift; a missing or forged record differs', () => {
  // No facts at all is already drift (no service has a leader): what the recorder writes at the first snapshot.
  const items = driftItems(emptyClusterFacts());
  assert.ok(items.length > 0);
  const record = items.map((i) => ({ kind: 'drift' as const, entity: driftKey(i), value: JSON.stringify({ ids: i.ids, sides: i.sides }) }));
  assert.deepEqual(new DriftRecheck().snapshot([], record, true), []);
  // As the recorder writes it now: the ids left to the key.
  const keyed = record.map((r) => ({ ...r, value: JSON.stringify({ sides: (JSON.parse(r.value) as { sides: unknown }).sides }) }));
  assert.deepEqual(new DriftRecheck().snapshot([], keyed, true), []);
  const keys = record.map((r) => r.entity).sort();
  assert.deepEqual(new DriftRecheck().snapshot([], [], true).sort(), keys, 'nothing recorded');
  const forged = new DriftRecheck();
  const fake = record.map((r) => ({ ...r, value: '{"ids":["forged"],"sides":{}}' }));
  assert.deepEqual(forged.snapshot([], fake, true).sort(), keys);
  // Reported once: the recorded side then follows the recomputed one.
  assert.deepEqual(forged.snapshot([], [], false), []);
  // A record that is not JSON at all differs too.
  assert.deepEqual(new DriftRecheck().snapshot([], [{ ...record[0]!, value: '{garbage' }, ...record.slice(1)], true), [record[0]!.entity]);
});
