// The scale table's answers (bench/sections/scale.ts): each query's answer
// size at each history length and the ratio of its cost growth to its
// answer's growth, from the timings' own fields. No timing is asserted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scaleTables, type ScalePoint } from '../../../bench/sections/scale.js';
import type { QueryResult } from '../../../bench/sections/queries.js';
import { summarize } from '../../../bench/stats.js';

function point(snapshots: number, diffMs: number[], diffBytes: number, showMs: number[]): ScalePoint {
  const result = {
    inProcess: [
      { name: 'diff distant', firstMs: 1, ms: summarize(diffMs), answerBytes: diffBytes },
      { name: 'show', firstMs: 1, ms: summarize(showMs), answerBytes: 2048 },
    ],
    cli: [],
    history: { spec: { hosts: 5000 }, bytes: 2 ** 20, versions: 10, generationMs: 0 },
  } as unknown as QueryResult;
  return { snapshots, result };
}

test('each query gives its answer size per history and its cost growth per answer growth', () => {
  const text = scaleTables([point(10, [10, 20], 1024, [5, 5]), point(1000, [100, 200], 10 * 1024, [5, 5])]);
  const line = (start: string) => text.split('\n').filter((l) => l.startsWith(start));
  assert.match(text, /Scale: the answers/);
  // p99 20 -> 200 (10x) for an answer 1 -> 10 KiB (10x): the cost follows the answer.
  assert.deepEqual(line('diff distant').at(-1)!.split(/\s{2,}/), ['diff distant', '1', '10', '10', '1']);
  assert.deepEqual(line('show').at(-1)!.split(/\s{2,}/), ['show', '2', '2', '1', '1']);
});
