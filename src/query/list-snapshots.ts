// Snapshots in a time window with their outcomes and headline counts.
import { type HistoryReader, type SnapshotRow, type SourceOutcome } from '../store/index.js';

export interface SnapshotSummary {
  id: number;
  startedAt: number;
  finishedAt: number;
  durationMs: number;
  failedSources: string[];
  sources: Record<string, { ok: boolean; error: string | null; durationMs: number }>;
  counts: { leaves?: number; hosts?: number; offline?: number; online?: number };
}

export function listSnapshotsWithOutcomes(db: HistoryReader, opts: { since?: number; until?: number; limit?: number }): SnapshotSummary[] {
  return db.listSnapshots(opts).map((s) => summarize(s, db.sourceOutcomes(s.id)));
}

function summarize(s: SnapshotRow, outcomes: readonly SourceOutcome[]): SnapshotSummary {
  const sources: SnapshotSummary['sources'] = {};
  for (const o of outcomes) {
    sources[o.source] = { ok: o.ok, error: o.ok ? null : `${o.errorKind}: ${o.errorMessage}`, durationMs: o.durationMs };
  }
  const roles = outcomes.find((o) => o.source === 'zk.roles');
  const status = outcomes.find((o) => o.source === 'status');
  return {
    id: s.id,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    durationMs: s.finishedAt - s.startedAt,
    failedSources: outcomes.filter((o) => !o.ok).map((o) => o.source),
    sources,
    counts: {
      leaves: roles?.ok ? (roles.stats.leaf ?? 0) : undefined,
      hosts: roles?.ok ? (roles.stats.placement ?? 0) : undefined,
      online: status?.ok ? (status.stats.online ?? 0) : undefined,
      offline: status?.ok ? (status.stats.offline ?? 0) : undefined,
    },
  };
}
