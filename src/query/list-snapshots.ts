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

/** Snapshots whose outcomes one range read takes: bounded, since 525,600 snapshots' at once (4.2 million rows) took longer than a read each. */
const RANGE_SNAPSHOTS = 2048;

/** `rangeSnapshots`: how many snapshots' outcomes one read takes (a test makes it small). */
export function listSnapshotsWithOutcomes(db: HistoryReader, opts: { since?: number; until?: number; limit?: number }, rangeSnapshots = RANGE_SNAPSHOTS): SnapshotSummary[] {
  const rows = db.listSnapshots(opts);
  const outcomes = outcomesOf(db, rows, rangeSnapshots);
  return rows.map((s) => summarize(s, outcomes(s.id)));
}

/**
 * The listed snapshots' outcomes: a range read per 2,048 snapshots when their
 * ids lie close together (a window's snapshots; asked in ascending order, as
 * listed, each range is read once), instead of a read per snapshot (51 µs
 * each: a third of a 30-day `report`). Ids far apart (a short list spanning
 * an imported history) keep the read per snapshot, so a range never outgrows
 * the list.
 */
function outcomesOf(db: HistoryReader, rows: readonly SnapshotRow[], rangeSnapshots: number): (id: number) => SourceOutcome[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rows) {
    lo = Math.min(lo, r.id);
    hi = Math.max(hi, r.id);
  }
  if (!rows.length || hi - lo + 1 > 2 * rows.length) return (id) => db.sourceOutcomes(id);
  let from = 0;
  let to = -1;
  let byId = new Map<number, SourceOutcome[]>();
  return (id) => {
    if (id < from || id > to) {
      from = id;
      to = Math.min(hi, id + rangeSnapshots - 1);
      byId = db.sourceOutcomesBetween(from, to);
    }
    return byId.get(id) ?? [];
  };
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
