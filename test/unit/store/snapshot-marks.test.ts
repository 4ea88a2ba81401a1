// Preloaded snapshot marks (snapshot-marks.ts): what one statement per kind
// (or one range of snapshots) reads ahead answers exactly as the lookups one
// by one, across pruned ids, failed reads, ids past the end and repeats, and
// after it those lookups are not made again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SourceName } from '../../../src/snapshot/source-name.js';
import { pruneHistory } from '../../../src/store/prune.js';
import { marks, marksFrom, type MarkReads, type Marks } from '../../../src/store/snapshot-marks.js';
import { mark } from '../query/marks.js';
import { down, storeOf } from '../query/store-history.js';

const SOURCES: SourceName[] = ['chairman', 'zk.missing', 'status', 'agents'];
const base = { leaves: { L1: ['h1', 'h2'], L2: ['h3'] } };
// The chairman fails every fourth collection, /missing two in a row; the first five are pruned.
const db = storeOf(
  Array.from({ length: 30 }, (_, i) => ({
    ...base,
    failed: { ...(i % 4 === 1 ? { chairman: down } : {}), ...(i === 12 || i === 13 ? { missing: down } : {}) },
  })),
);
pruneHistory(db, { before: mark(6).startedAt });
const IDS = [1, 3, 5, 6, 7, 12, 12, 14, 15, 16, 29, 30, 31, 99];

/** Every answer the marks give for IDS, a missing snapshot's error as its message. */
function answers(m: Marks): unknown[] {
  const markOf = (id: number) => {
    try {
      return m.mark(id);
    } catch (e) {
      return (e as Error).message;
    }
  };
  return IDS.map((id) => [markOf(id), m.before(id), m.after(id), ...SOURCES.flatMap((s) => [m.previousOk(s, id), m.latestOk(s, id)])]);
}

test('preloaded marks answer as the lookups one by one', () => {
  const preloaded = marks(db);
  preloaded.preload(IDS, { before: true, previousOk: SOURCES });
  assert.deepEqual(answers(preloaded), answers(marks(db)));
  for (const [from, to] of [[1, 40], [7, 7], [12, 16], [29, 35], [40, 50]]) {
    const between = marks(db);
    between.preloadBetween(from!, to!);
    assert.deepEqual(answers(between), answers(marks(db)), `${from}..${to}`);
  }
});

test('after a preload, the preloaded lookups are not made one by one', () => {
  const sqlite = marks(db);
  const single: string[] = [];
  const reads: MarkReads = {
    mark: (id) => (single.push(`mark ${id}`), sqlite.mark(id)),
    before: (id) => (single.push(`before ${id}`), sqlite.before(id) ?? undefined),
    after: (id) => sqlite.after(id) ?? undefined,
    okBefore: (source, id) => (single.push(`okBefore ${id}`), sqlite.previousOk(source, id)?.id ?? null),
    // The batches answered from SQLite's own lookups (another Marks, not counted).
    marksOf: (ids) => ids.flatMap((id) => (id >= 6 && id <= 30 ? [sqlite.mark(id)] : [])),
    beforeOf: (ids) => ids.flatMap((id) => (sqlite.before(id) ? [{ ...sqlite.before(id)!, of: id }] : [])),
    okBeforeOf: (source, ids) => ids.map((id) => ({ of: id, id: sqlite.previousOk(source, id)?.id ?? null })),
    marksBetween: (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i).flatMap((id) => (id >= 6 && id <= 30 ? [sqlite.mark(id)] : [])),
  };
  const m = marksFrom(reads);
  const kept = IDS.filter((id) => id >= 6 && id <= 30);
  m.preload(kept, { before: true, previousOk: ['chairman'] });
  for (const id of kept) {
    m.mark(id);
    m.before(id);
    m.previousOk('chairman', id);
  }
  assert.deepEqual(single, []);
  m.previousOk('status', 7);
  assert.deepEqual(single, ['okBefore 7'], 'what was not preloaded is looked up');

  const walk = marksFrom(reads);
  single.length = 0;
  walk.preloadBetween(10, 20);
  for (let id = 10; id <= 20; id++) walk.mark(id);
  for (let id = 11; id <= 20; id++) walk.before(id);
  assert.deepEqual(single, [], 'a range: its marks, and each one\'s neighbour within it');
  walk.before(10);
  assert.deepEqual(single, ['before 10'], 'the first one\'s neighbour lies outside: looked up');
});
