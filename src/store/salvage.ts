// Writing a salvaged history (I/O): snapshots copied from a damaged file under
// their own ids, with their outcomes as stored and the versions that bring
// each source from the last state written to its state there.
import type { SnapshotRow } from './verify-reads.js';
import { insertStoredVersions, type OutcomeRow, type WrittenVersion } from './insert-snapshot-rows.js';
import type { Db } from './db.js';
import { EACH_OUTCOME } from './snapshot-index.js';
import { codeToStore, nameOf } from './source-codes.js';
import { statement } from './statement-cache.js';
import { packStats, unpackValue, type StoredValue } from './value-codec.js';

const OUTCOMES_SQL = `SELECT ${nameOf('o.source')} AS source, ok, error_kind AS errorKind, error_message AS errorMessage, duration_ms AS durationMs,
  endpoint, coalesce(stats, '{}') AS stats FROM snapshot_sources o WHERE ${EACH_OUTCOME} AND snapshot_id = ? ORDER BY source`;
const SNAPSHOT_SQL = 'INSERT INTO snapshots (cluster, id, started_at, finished_at, failed_sources) VALUES (current_cluster(), ?, ?, ?, ?)';
const OUTCOME_SQL = `INSERT INTO snapshot_sources (cluster, snapshot_id, source, ok, error_kind, error_message, duration_ms, endpoint, stats)
  VALUES (current_cluster(), ?, ?, ?, ?, ?, ?, ?, ?)`;

/** One snapshot's outcome rows as stored. */
export function storedOutcomes(db: Db, snapshotId: number): OutcomeRow[] {
  const rows = statement(db, OUTCOMES_SQL).all(snapshotId) as (Omit<OutcomeRow, 'ok' | 'stats'> & { ok: number; stats: StoredValue })[];
  return rows.map((r) => ({ ...r, ok: r.ok === 1, stats: unpackValue(r.stats) ?? '{}' }));
}

/** Writes one snapshot under its own id; inside the caller's write transaction. */
export function insertSnapshotAs(db: Db, s: SnapshotRow, outcomes: readonly OutcomeRow[], writes: readonly WrittenVersion[]): void {
  statement(db, SNAPSHOT_SQL).run(s.id, s.startedAt, s.finishedAt, s.failedSources);
  for (const o of outcomes) {
    statement(db, OUTCOME_SQL).run(s.id, codeToStore(o.source), o.ok ? 1 : 0, o.errorKind, o.errorMessage, o.durationMs, o.endpoint, packStats(o.stats));
  }
  const sources = new Set(writes.map((w) => w.source));
  for (const source of sources) insertStoredVersions(db, s.id, source, writes.filter((w) => w.source === source));
}
