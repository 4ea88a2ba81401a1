// The scale curve (`npm run bench -- --scale`): the queries section run over
// histories of growing length, and per query how its cost moves with the
// history. A query whose p99 at the largest history stays within 1.3x of the
// smallest costs what its answer costs; one that grows reads the history, or
// answers more: the answers' sizes beside it tell which.
import { table, type Cell } from '../table.js';
import { BOUNDED_QUERIES, BOUNDED_TARGET_MS, type QueryResult } from './queries.js';

export interface ScalePoint {
  snapshots: number;
  result: QueryResult;
}

/** The figure issue 21 holds each query to: p99 at the largest history / p99 at the smallest. */
export const SCALE_RATIO_TARGET = 1.3;

/**
 * Issue 21 item 4, "memory stays flat": a CLI call's peak RSS at the largest
 * history / at the smallest, for the calls whose answer does not grow (answer
 * ratio within SCALE_RATIO_TARGET); 10% for the allocator's and the kernel's noise.
 */
export const PEAK_RSS_RATIO_TARGET = 1.1;

const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);

/** A query's answer size at the largest history / at the smallest (in process), or null when it was not sized. */
export function answerRatio(points: readonly ScalePoint[], name: string): number | null {
  const bytes = (p: ScalePoint) => p.result.inProcess.find((x) => x.name === name)?.answerBytes;
  const a = bytes(points[0]!);
  const b = bytes(points[points.length - 1]!);
  return a === undefined || b === undefined ? null : ratio(b, a);
}

/** A CLI call's peak RSS at the largest history / at the smallest, or null when either was not measured. */
export function peakRssRatio(points: readonly ScalePoint[], name: string): number | null {
  const peak = (p: ScalePoint) => p.result.cli.find((x) => x.name === name)?.peakRssMiB ?? null;
  const a = peak(points[0]!);
  const b = peak(points[points.length - 1]!);
  return a === null || b === null ? null : ratio(b, a);
}

export function scaleTables(points: readonly ScalePoint[]): string {
  const sizes = points.map((p) => p.snapshots);
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const inProcess = first.result.inProcess.map((q): Cell[] => {
    const at = points.map((p) => p.result.inProcess.find((x) => x.name === q.name)?.ms);
    const r = ratio(at[at.length - 1]?.p99 ?? Number.NaN, at[0]?.p99 ?? Number.NaN);
    const largest = at[at.length - 1]?.p99 ?? Number.NaN;
    const bounded = BOUNDED_QUERIES.has(q.name) ? (largest < BOUNDED_TARGET_MS ? 'yes' : 'NO') : '';
    return [q.name, ...at.flatMap((s) => [s?.p50 ?? null, s?.p99 ?? null]), r, r <= SCALE_RATIO_TARGET ? 'yes' : 'NO', bounded];
  });
  // Whether a query that grows reads the history or answers more: its answer's size at each length.
  const answers = first.result.inProcess.map((q): Cell[] => {
    const kb = points.map((p) => (p.result.inProcess.find((x) => x.name === q.name)?.answerBytes ?? Number.NaN) / 1024);
    const p99 = points.map((p) => p.result.inProcess.find((x) => x.name === q.name)?.ms.p99 ?? Number.NaN);
    const answerRatio = ratio(kb[kb.length - 1]!, kb[0]!);
    return [q.name, ...kb, answerRatio, ratio(ratio(p99[p99.length - 1]!, p99[0]!), answerRatio)];
  });
  const cli = first.result.cli.map((q): Cell[] => {
    const at = points.map((p) => p.result.cli.find((x) => x.name === q.name)?.ms.p50 ?? null);
    const floor = points.map((p) => p.result.cli.find((x) => x.name === q.name)?.floor?.ratio ?? null);
    return [q.name, ...at, ratio(at[at.length - 1] ?? Number.NaN, at[0] ?? Number.NaN), ...floor];
  });
  const rss = first.result.cli.map((q): Cell[] => {
    const at = points.map((p) => p.result.cli.find((x) => x.name === q.name)?.peakRssMiB ?? null);
    const r = peakRssRatio(points, q.name);
    const answer = answerRatio(points, q.name);
    const judged = r !== null && !q.yardstick && (answer === null ? q.reference : answer <= SCALE_RATIO_TARGET);
    return [q.name, ...at, r, answer, judged ? (r <= PEAK_RSS_RATIO_TARGET ? 'yes' : 'NO') : ''];
  });
  const files = points.map((p): Cell[] => [p.snapshots, p.result.history.bytes / 2 ** 20, p.result.history.versions, p.result.history.generationMs / 1000]);
  return [
    table(
      `Scale: queries in process (ms) over ${sizes.join(' / ')} snapshots of ${last.result.history.spec.hosts} hosts; ratio = p99 at ${last.snapshots} / p99 at ${first.snapshots}`,
      ['query', ...sizes.flatMap((n) => [`p50 @${n}`, `p99 @${n}`]), 'ratio', `ratio <= ${SCALE_RATIO_TARGET}`, `bounded: p99 @${last.snapshots} < ${BOUNDED_TARGET_MS}`],
      inProcess,
    ),
    table(
      `Scale: the answers (in process, median KiB as JSON); cost per answer = p99 ratio / answer ratio (${last.snapshots} against ${first.snapshots})`,
      ['query', ...sizes.map((n) => `KiB @${n}`), 'answer ratio', 'cost per answer ratio'],
      answers,
    ),
    table(
      'Scale: whole CLI calls, median ms; x node = the call / a bare `node -e 0` run in turn with it (median of the pairs)',
      ['command', ...sizes.map((n) => `@${n}`), 'ratio', ...sizes.map((n) => `x node @${n}`)],
      cli,
    ),
    table(
      `Scale: whole CLI calls, peak RSS (MiB, one call each, its own VmHWM); flat = ratio <= ${PEAK_RSS_RATIO_TARGET}, judged where the answer does not grow`,
      ['command', ...sizes.map((n) => `MiB @${n}`), 'ratio', 'answer ratio', 'flat'],
      rss,
    ),
    table('Scale: the histories', ['snapshots', 'MiB', 'versions', 'generated in s (0: cached)'], files),
  ].join('\n');
}
