// The one-screen summary of a collection (pure): per-source outcome and
// counts, and what this collection found newly wrong.
import type { Observation } from '../model/observation.js';
import type { StatusValue } from '../snapshot/fact.js';
import { SOURCES, type SourceName } from '../snapshot/source-name.js';
import { readingCount, readingOf } from '../snapshot/source-registry.js';
import type { WriteResult } from '../store/index.js';

export interface SourceSummary {
  source: SourceName;
  ok: boolean;
  error: string | null;
  durationMs: number;
  count: number | null;
  changes: number;
}

export interface CollectionSummary {
  snapshotId: number;
  startedAt: number;
  durationMs: number;
  sources: SourceSummary[];
  failedSources: SourceName[];
  newlyMissing: string[];
  noLongerMissing: string[];
  newlyOffline: string[];
  backOnline: string[];
}

export function summarizeCollection(obs: Observation, written: WriteResult): CollectionSummary {
  const sources = SOURCES.map((source): SourceSummary => {
    const r = readingOf(obs, source);
    return {
      source,
      ok: r.result.ok,
      error: r.result.ok ? null : `${r.result.error.kind}: ${r.result.error.message}`,
      durationMs: Math.round(r.durationMs),
      count: readingCount(source, r),
      changes: written.changes[source] ?? 0,
    };
  });
  const of = (source: SourceName, kind: string) => written.written.filter((w) => w.source === source && w.kind === kind);
  const status = of('status', 'status').map((w) => ({ id: w.entity, value: w.value ? (JSON.parse(w.value) as StatusValue) : null }));
  const first = written.snapshotId === 1;
  return {
    snapshotId: written.snapshotId,
    startedAt: obs.startedAt,
    durationMs: obs.finishedAt - obs.startedAt,
    sources,
    failedSources: written.failedSources,
    newlyMissing: of('zk.missing', 'missing').filter((w) => w.value !== null).map((w) => w.entity),
    noLongerMissing: of('zk.missing', 'missing').filter((w) => w.value === null).map((w) => w.entity),
    newlyOffline: status.filter((s) => s.value?.status === 'OFFLINE').map((s) => s.id),
    backOnline: first ? [] : status.filter((s) => s.value?.status === 'ONLINE').map((s) => s.id),
  };
}
