// The scale table's answers (bench/sections/scale.ts): each query's answer
// size at each history length and the ratio of its cost growth to its
// answer's growth, from the timings' own fields. No timing is asserted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scaleTables, type ScalePoint } from '../../../bench/sections/scale.js';
import type { CliTiming, QueryResult } from '../../../bench/sections/queries.js';
import { checkTargets } from '../../../bench/targets.js';
import { summarize } from '../../../bench/stats.js';

/** A whole CLI call of `name` with its peak RSS (MiB), its timings beside the point. */
function call(name: string, peakRssMiB: number | null, reference = false): CliTiming {
  return { name, reference, ms: summarize([100]), failures: [], peakRssMiB };
}

function point(snapshots: number, diffMs: number[], diffBytes: number, showMs: number[], peaks: [number | null, number | null, number | null] = [null, null, null]): ScalePoint {
  const result = {
    inProcess: [
      { name: 'diff distant', firstMs: 1, ms: summarize(diffMs), answerBytes: diffBytes },
      { name: 'show', firstMs: 1, ms: summarize(showMs), answerBytes: 2048 },
    ],
    cli: [call('node -e 0', peaks[0], true), call('diff distant', peaks[1]), call('show', peaks[2])],
    history: { spec: { hosts: 5000 }, bytes: 2 ** 20, versions: 10, generationMs: 0 },
  } as unknown as QueryResult;
  return { snapshots, result };
}

test('each query gives its answer size per history and its cost growth per answer growth', () => {
  const text = scaleTables([point(10, [10, 20], 1024, [5, 5]), point(1000, [100, 200], 10 * 1024, [5, 5])]);
  const answers = text.split('\n').slice(text.split('\n').findIndex((l) => l.startsWith('Scale: the answers')));
  const line = (start: string) => answers.filter((l) => l.startsWith(start)).slice(0, 1);
  // p99 20 -> 200 (10x) for an answer 1 -> 10 KiB (10x): the cost follows the answer.
  assert.deepEqual(line('diff distant').at(-1)!.split(/\s{2,}/), ['diff distant', '1', '10', '10', '1']);
  assert.deepEqual(line('show').at(-1)!.split(/\s{2,}/), ['show', '2', '2', '1', '1']);
});

test('peak RSS per call: judged flat only where the answer does not grow, and checked against its target', () => {
  // diff's answer grows 10x: its memory may follow it; show's answer does not: 100 -> 120 MiB is growth.
  const points = [point(10, [10, 20], 1024, [5, 5], [40, 60, 100]), point(1000, [100, 200], 10 * 1024, [5, 5], [41, 300, 120])];
  const rows = scaleTables(points).split('\n');
  const at = rows.findIndex((l) => l.startsWith('Scale: whole CLI calls, peak RSS'));
  assert.ok(at > 0, 'the peak RSS table is printed');
  const row = (name: string) => rows.slice(at).find((l) => l.startsWith(name))!.trim().split(/\s{2,}/);
  assert.deepEqual(row('node -e 0'), ['node -e 0', '40', '41', '1.02', '-', 'yes']);
  assert.deepEqual(row('diff distant'), ['diff distant', '60', '300', '5', '10']);
  assert.deepEqual(row('show'), ['show', '100', '120', '1.20', '1', 'NO']);
  const checks = checkTargets({ scale: points } as never).filter((c) => c.target.startsWith('peak RSS'));
  assert.deepEqual(checks.map((c) => [c.target, c.measured, c.met]), [['peak RSS @1000 <= 1.1x @10: show', '1.20x', false]]);
  // A call whose peak was not read is not judged.
  assert.equal(checkTargets({ scale: [point(10, [1], 1, [1]), point(1000, [1], 1, [1])] } as never).filter((c) => c.target.startsWith('peak RSS')).length, 0);
});
