// Listing snapshots and their per-source outcomes on PostgreSQL, the rows of
// ../snapshot-index.ts listSnapshots and sourceOutcomes in the same shapes and order.
import type { SnapshotRow, SourceOutcome } from '../snapshot-index.js';
import type { Sql } from './pg-db.js';

const COLS = 'id, started_at AS "startedAt", finished_at AS "finishedAt", failed_sources AS "failedSources"';

export async function pgListSnapshots(sql: Sql, opts: { since?: number; until?: number; limit?: number }): Promise<SnapshotRow[]> {
  const { rows } = await sql.query<SnapshotRow>(
    `SELECT ${COLS} FROM snapshots WHERE started_at >= $1 AND started_at <= $2 ORDER BY started_at DESC, id DESC LIMIT $3`,
    // LIMIT NULL is no limit (SQLite's is -1).
    [opts.since ?? 0, opts.until ?? Number.MAX_SAFE_INTEGER, opts.limit ?? null],
  );
  return rows.reverse();
}

/** In source order: SQLite's table is clustered by (snapshot_id, source). */
export async function pgSourceOutcomes(sql: Sql, snapshotId: number): Promise<SourceOutcome[]> {
  const { rows } = await sql.query<Omit<SourceOutcome, 'stats'> & { stats: string | null }>(
    `SELECT source, ok, error_kind AS "errorKind", error_message AS "errorMessage", duration_ms AS "durationMs",
            endpoint, stats FROM snapshot_sources WHERE snapshot_id = $1 ORDER BY source`,
    [snapshotId],
  );
  return rows.map((r) => ({ ...r, stats: r.stats ? (JSON.parse(r.stats) as Record<string, number>) : {} }));
}
