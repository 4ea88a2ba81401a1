import assert from 'node:assert/strict';
import { test } from 'node:test';
import { driftEpisodes, type DriftStep, type ItemState } from '../../../src/query/drift-history.js';
import type { DriftItem } from '../../../src/query/drift.js';
import { SOURCES, type SourceName } from '../../../src/snapshot/source-name.js';
import { mark, STEP_MS } from './marks.js';

const X: DriftItem = { kind: 'offline_not_missing', ids: ['h1'], sources: ['status', 'zk.missing'], sides: { status: 'OFFLINE', 'zk.missing': false } };
const ALL = new Set<SourceName>(SOURCES);
const without = (...s: SourceName[]) => new Set(SOURCES.filter((x) => !s.includes(x)));

function step(id: number, known: ReadonlySet<SourceName>, changed: [string, ItemState | null][] = []): DriftStep {
  return { point: { snapshot: mark(id), prev: id > 1 ? mark(id - 1) : null }, known, changed: new Map(changed) };
}
const drift = (item = X): ItemState => ({ status: 'drift', item });
const cc = (item = X): ItemState => ({ status: 'cannot_compare', item });

test('an episode is bounded by the reads around each edge', () => {
  const eps = driftEpisodes([step(1, ALL), step(3, ALL, [['x', drift()]]), step(6, ALL, [['x', null]])], mark(8));
  assert.deepEqual(eps, [
    {
      ...X,
      start: { after: mark(2), by: mark(3) },
      lastSeen: mark(5),
      endBy: mark(6),
      duration: { minMs: 2 * STEP_MS, maxMs: 4 * STEP_MS },
    },
  ]);
});

test('"cannot compare" in the middle neither ends the episode nor counts as seen', () => {
  const eps = driftEpisodes(
    [step(1, ALL), step(3, ALL, [['x', drift()]]), step(5, without('status'), [['x', cc()]]), step(7, ALL, [['x', null]])],
    mark(9),
  );
  assert.equal(eps.length, 1);
  assert.deepEqual([eps[0]!.start, eps[0]!.lastSeen, eps[0]!.endBy], [{ after: mark(2), by: mark(3) }, mark(4), mark(7)]);
});

test('gone while a compared source is unknown: closed only when that source is read again', () => {
  const eps = driftEpisodes(
    [step(1, ALL), step(3, ALL, [['x', drift()]]), step(5, without('status'), [['x', null]]), step(8, ALL)],
    mark(9),
  );
  assert.deepEqual([eps[0]!.lastSeen, eps[0]!.endBy], [mark(4), mark(8)]);
});

test('the start bound skips snapshots where a compared source was unknown', () => {
  const eps = driftEpisodes([step(1, ALL), step(2, without('zk.missing')), step(4, ALL, [['x', drift()]])], mark(5));
  assert.deepEqual(eps[0]!.start, { after: mark(1), by: mark(4) });
  // A source the item does not compare does not matter.
  const other = driftEpisodes([step(1, ALL), step(2, without('chairman')), step(4, without('chairman'), [['x', drift()]])], mark(5));
  assert.deepEqual(other[0]!.start, { after: mark(3), by: mark(4) });
});

test('drifting at the window start and still at its end: no start bound, open, last seen at the end', () => {
  const eps = driftEpisodes([step(1, ALL, [['x', drift()]])], mark(9));
  assert.deepEqual(eps, [{ ...X, start: { after: null, by: mark(1) }, lastSeen: mark(9), endBy: null, duration: { minMs: 8 * STEP_MS, maxMs: null } }]);
});

test('flapping gives one episode per flap', () => {
  const eps = driftEpisodes(
    [step(1, ALL), step(2, ALL, [['x', drift()]]), step(3, ALL, [['x', null]]), step(5, ALL, [['x', drift()]]), step(6, ALL, [['x', null]])],
    mark(7),
  );
  assert.deepEqual(
    eps.map((e) => [e.start.after?.id, e.start.by.id, e.lastSeen.id, e.endBy?.id]),
    [
      [1, 2, 2, 3],
      [4, 5, 5, 6],
    ],
  );
});

test('only ever "cannot compare" is no episode', () => {
  assert.deepEqual(driftEpisodes([step(1, without('status'), [['x', cc()]]), step(4, ALL, [['x', null]])], mark(5)), []);
});
