// The report model from the query results of one window (pure).
import type { Endpoint } from '../model/ids.js';
import type { NodeStatus } from '../model/status.js';
import type { ChangeEvent } from '../query/change-event.js';
import type { TimelineEvent } from '../query/timeline.js';
import { collectionSeries, outcomeOf } from './collection-series.js';
import type { ReportInput } from './report-input.js';
import type { CollectionOutcome, LeaderChange, ReportModel, ReportSummary, StatusEpisode } from './report-model.js';
import { sourceAvailability, sourceOutages } from './source-availability.js';
import { statusEpisodes, statusFlips } from './status-episodes.js';
import { treeComparisons } from './tree-comparison.js';

function leaderChanges(events: readonly TimelineEvent[]): LeaderChange[] {
  const out: LeaderChange[] = [];
  for (const e of events) {
    if (e.type !== 'change' || e.change.category !== 'leader_changed') continue;
    const c = (e as ChangeEvent).change as { id: string; before: Endpoint | null; after: Endpoint | null };
    out.push({ service: c.id, at: e.at, before: c.before, after: c.after });
  }
  return out;
}

function unique(ids: Iterable<string>): string[] {
  return [...new Set(ids)];
}

function outcomes(input: ReportInput): Record<CollectionOutcome, number> {
  const counts: Record<CollectionOutcome, number> = { complete: 0, partial: 0, unavailable: 0 };
  for (const c of input.collections) counts[outcomeOf(c.failedSources)]++;
  return counts;
}

function initialStatus(input: ReportInput): Map<string, NodeStatus | null> {
  // load-report-input.ts reads the overview with every part.
  if (!input.start.verdicts) throw new Error('report input: the start snapshot was read without its verdicts');
  return new Map(Object.entries(input.start.verdicts.value));
}

function lastStatusRead(input: ReportInput) {
  for (let i = input.collections.length - 1; i >= 0; i--) {
    const c = input.collections[i]!;
    if (c.sources.status?.ok) return { id: c.id, startedAt: c.startedAt };
  }
  return null;
}

function summary(input: ReportInput, status: readonly StatusEpisode[], leaders: readonly LeaderChange[]): ReportSummary {
  const offline = status.filter((e) => e.status === 'OFFLINE');
  return {
    collections: input.collections.length,
    outcomes: outcomes(input),
    sources: sourceAvailability(input.collections),
    missingHosts: input.missing.missing.filter((h) => h.episodes.length).map((h) => h.host),
    stillMissing: input.missing.missing.filter((h) => h.stillMissing).map((h) => h.host),
    missingUnknownAtEnd: input.missing.unknownAtEnd,
    offlineNodes: unique(offline.map((e) => e.node)),
    stillOffline: unique(offline.filter((e) => e.endBy === null).map((e) => e.node)),
    drift: { episodes: input.drift.total, open: input.drift.open, byKind: input.drift.counts },
    missingBlastRadius: input.missing.blastRadius,
    driftBlastRadius: input.driftBlastRadius,
    leaderChanges: leaders.length,
    changes: { total: input.timeline.total, counts: { ...input.timeline.counts } as Record<string, number> },
  };
}

export function buildReport(input: ReportInput): ReportModel {
  const leaders = leaderChanges(input.timeline.events);
  const missingEpisodes = input.missing.missing
    .flatMap((h) => h.episodes)
    .sort((a, b) => a.start.by.id - b.start.by.id || (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
  const status = statusEpisodes({
    first: input.window.first,
    initial: initialStatus(input),
    flips: statusFlips(input.timeline.events),
    lastRead: lastStatusRead(input),
  });
  return {
    window: input.window,
    summary: summary(input, status, leaders),
    series: collectionSeries({ collections: input.collections, missing: missingEpisodes, drift: input.drift.episodes, leaderChanges: leaders }),
    outages: sourceOutages(input.collections),
    missingEpisodes,
    statusEpisodes: status,
    driftEpisodes: input.drift.episodes,
    leaderChanges: leaders,
    trees: treeComparisons(input.start, input.end, input.diff),
    differences: input.diff,
  };
}
