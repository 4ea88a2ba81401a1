// Records one snapshot from what changed rather than from what was seen: the
// caller already knows the version rows (a bulk import, a history generator,
// a replay), so nothing is re-read or re-planned. The rows written are the
// ones writeSnapshot would write for the same changes. Inside
// withWriteTransaction, many snapshots share one commit.
import type { SourceError } from '../model/source-error.js';
import type { VersionWrite } from '../snapshot/plan-versions.js';
import { statSourceOf } from '../snapshot/zk-stat-facts.js';
import type { SourceStats } from '../snapshot/source-stats.js';
import { SOURCES, type SourceName } from '../snapshot/source-name.js';
import { insertSnapshotRows, type OutcomeRow, type SnapshotRows, type WriteResult, type WrittenVersion } from './insert-snapshot-rows.js';
import type { Db } from './db.js';
import { withWriteTransaction } from './write-transaction.js';

export type DeltaOutcome =
  | { source: SourceName; ok: true; durationMs: number; endpoint?: string | null; stats?: SourceStats }
  | { source: SourceName; ok: false; error: SourceError; durationMs: number; endpoint?: string | null };

export interface SnapshotDelta {
  startedAt: number;
  finishedAt: number;
  /** Exactly one per source. */
  outcomes: readonly DeltaOutcome[];
  /** Version rows (value: canonical JSON, or null for "no longer holds"), only for sources read ok. */
  writes: readonly WrittenVersion[];
  /** `zk.stat` versions (a node's Stat by path), only for nodes whose source was read ok. */
  records?: readonly VersionWrite[];
  /** `zk.watch` versions: the interval's watched record and the end of the last one's (zk-watch-facts.ts). */
  watch?: readonly VersionWrite[];
}

function outcomeRow(o: DeltaOutcome): OutcomeRow {
  return {
    source: o.source,
    ok: o.ok,
    errorKind: o.ok ? null : o.error.kind,
    errorMessage: o.ok ? null : o.error.message,
    durationMs: o.durationMs,
    endpoint: o.endpoint ?? null,
    // As writeSnapshot: a failed source has no stats.
    stats: JSON.stringify(o.ok ? (o.stats ?? {}) : {}),
  };
}

/** A malformed delta is the caller's bug: it is refused before anything is written. */
function checkDelta(delta: SnapshotDelta): void {
  const bySource = new Map(delta.outcomes.map((o) => [o.source, o]));
  if (delta.outcomes.length !== SOURCES.length || SOURCES.some((s) => !bySource.has(s))) {
    throw new RangeError(`writeSnapshotDelta: one outcome per source expected (${SOURCES.join(', ')})`);
  }
  const seen = new Set<string>();
  for (const w of delta.writes) {
    if (!bySource.get(w.source)?.ok) throw new RangeError(`writeSnapshotDelta: a version for ${w.source}, which failed in this snapshot`);
    const key = `${w.source}\u0000${w.kind}\u0000${w.entity}`;
    if (seen.has(key)) throw new RangeError(`writeSnapshotDelta: two versions of ${w.source} ${w.kind} ${w.entity}`);
    seen.add(key);
  }
  for (const r of delta.records ?? []) {
    const source = statSourceOf(r.entity);
    if (r.kind !== 'stat' || !source || !bySource.get(source)?.ok) throw new RangeError(`writeSnapshotDelta: a Stat of ${r.entity}, whose source was not read in this snapshot`);
  }
}

/** The rows a delta writes, checked (shared with the PostgreSQL store, postgres/pg-write.ts). */
export function deltaRows(delta: SnapshotDelta): SnapshotRows {
  checkDelta(delta);
  const outcomes = SOURCES.map((s) => outcomeRow(delta.outcomes.find((o) => o.source === s)!));
  return { startedAt: delta.startedAt, finishedAt: delta.finishedAt, outcomes, writes: delta.writes, records: delta.records, watch: delta.watch };
}

export function writeSnapshotDelta(db: Db, delta: SnapshotDelta): WriteResult {
  const rows = deltaRows(delta);
  return withWriteTransaction(db, () => insertSnapshotRows(db, rows));
}
