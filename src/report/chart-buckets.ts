// The chart's points (pure): one per collection, or, when the window has more
// collections than the chart can show apart, one per run of consecutive
// collections holding the largest value of each series in the run (a peak
// is never averaged away), with every failure and leader change kept.
import type { SnapshotMark } from '../model/snapshot-mark.js';
import { SOURCES, type SourceName } from '../snapshot/source-name.js';
import type { SeriesPoint } from './report-model.js';

export interface ChartBucket {
  from: SnapshotMark;
  to: SnapshotMark;
  collections: number;
  /** The largest value in the bucket; null: the source was read in none of its collections. */
  missing: number | null;
  offline: number | null;
  drift: number;
  partial: number;
  unavailable: number;
  /** Sources that failed in any of its collections. */
  failedSources: SourceName[];
  /** Services whose leader changed, once per change. */
  leaderChanges: string[];
}

function maxOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

function bucketOf(points: readonly SeriesPoint[]): ChartBucket {
  const failed = new Set<SourceName>();
  const b: ChartBucket = {
    from: points[0]!.snapshot,
    to: points[points.length - 1]!.snapshot,
    collections: points.length,
    missing: null,
    offline: null,
    drift: 0,
    partial: 0,
    unavailable: 0,
    failedSources: [],
    leaderChanges: [],
  };
  for (const p of points) {
    b.missing = maxOrNull(b.missing, p.missing);
    b.offline = maxOrNull(b.offline, p.offline);
    b.drift = Math.max(b.drift, p.drift);
    if (p.outcome === 'partial') b.partial++;
    if (p.outcome === 'unavailable') b.unavailable++;
    for (const s of p.failedSources) failed.add(s);
    b.leaderChanges.push(...p.leaderChanges);
  }
  b.failedSources = SOURCES.filter((s) => failed.has(s));
  return b;
}

/** At most `maxPoints` buckets of consecutive collections, equal in size except the last. */
export function chartBuckets(series: readonly SeriesPoint[], maxPoints: number): ChartBucket[] {
  const size = Math.max(1, Math.ceil(series.length / Math.max(1, maxPoints)));
  const out: ChartBucket[] = [];
  for (let i = 0; i < series.length; i += size) out.push(bucketOf(series.slice(i, i + size)));
  return out;
}
