// Per-collection counts for the timeline chart (pure): missing hosts, offline
// nodes, open drift episodes, failed sources and leader changes at each
// collection of the window. Counts come from episodes by a sweep over
// snapshot ids, so thousands of collections and episodes cost one pass each.
import type { SnapshotSummary } from '../query/list-snapshots.js';
import { SOURCES, type SourceName } from '../snapshot/source-name.js';
import type { CollectionOutcome, LeaderChange, SeriesPoint } from './report-model.js';

/** Something that holds from snapshot `from` up to, not including, `to` (null: still holds). */
export interface Interval {
  from: number;
  to: number | null;
}

/** For each id (ascending), how many intervals hold there. */
export function openCounts(intervals: readonly Interval[], ids: readonly number[]): number[] {
  const edges: [id: number, delta: number][] = [];
  for (const i of intervals) {
    edges.push([i.from, 1]);
    if (i.to !== null) edges.push([i.to, -1]);
  }
  edges.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  let open = 0;
  let e = 0;
  for (const id of ids) {
    while (e < edges.length && edges[e]![0] <= id) open += edges[e++]![1];
    out.push(open);
  }
  return out;
}

export function outcomeOf(failedSources: readonly string[]): CollectionOutcome {
  if (failedSources.length === 0) return 'complete';
  return SOURCES.every((s) => failedSources.includes(s)) ? 'unavailable' : 'partial';
}

function readOk(c: SnapshotSummary, source: SourceName): boolean {
  return c.sources[source]?.ok ?? false;
}

export interface SeriesInput {
  collections: readonly SnapshotSummary[];
  /** /missing episodes: missing from start.by up to endBy. */
  missing: readonly { start: { by: { id: number } }; endBy: { id: number } | null }[];
  drift: readonly { start: { by: { id: number } }; endBy: { id: number } | null }[];
  leaderChanges: readonly LeaderChange[];
}

const interval = (e: SeriesInput['missing'][number]): Interval => ({ from: e.start.by.id, to: e.endBy?.id ?? null });

export function collectionSeries(input: SeriesInput): SeriesPoint[] {
  const ids = input.collections.map((c) => c.id);
  const missing = openCounts(input.missing.map(interval), ids);
  const drift = openCounts(input.drift.map(interval), ids);
  const leaders = new Map<number, string[]>();
  for (const l of input.leaderChanges) leaders.set(l.at.by.id, [...(leaders.get(l.at.by.id) ?? []), l.service]);
  return input.collections.map((c, i) => ({
    snapshot: { id: c.id, startedAt: c.startedAt },
    outcome: outcomeOf(c.failedSources),
    failedSources: SOURCES.filter((s) => c.failedSources.includes(s)),
    // /missing is recorded only at successful reads: between them the count is not known.
    missing: readOk(c, 'zk.missing') ? missing[i]! : null,
    offline: readOk(c, 'status') ? (c.counts.offline ?? 0) : null,
    drift: drift[i]!,
    leaderChanges: leaders.get(c.id) ?? [],
  }));
}
