// Listing snapshots and their per-source outcomes on PostgreSQL, the rows of
// ../snapshot-index.ts listSnapshots and sourceOutcomes in the same shapes and order.
import { NotFoundError } from '../../errors.js';
import type { SourceName } from '../../snapshot/source-name.js';
import type { SnapshotRef } from '../../util/snapshot-ref.js';
import { formatTime } from '../../util/time.js';
import { endpointOf, outcomeOf, type EndpointRow, type OutcomeRow, type SnapshotRow, type SourceOutcome } from '../snapshot-index.js';
import type { Sql } from './pg-db.js';
import { LAST_ENDPOINT_SQL, OUTCOMES_SQL } from './pg-reader-sql-more.js';

const COLS = 'id, started_at AS "startedAt", finished_at AS "finishedAt", failed_sources AS "failedSources"';

export async function pgListSnapshots(sql: Sql, opts: { since?: number; until?: number; limit?: number }): Promise<SnapshotRow[]> {
  const { rows } = await sql.query<SnapshotRow>(
    `SELECT ${COLS} FROM snapshots WHERE cluster = current_cluster() AND started_at >= $1 AND started_at <= $2 ORDER BY started_at DESC, id DESC LIMIT $3`,
    // LIMIT NULL is no limit (SQLite's is -1).
    [opts.since ?? 0, opts.until ?? Number.MAX_SAFE_INTEGER, opts.limit ?? null],
  );
  return rows.reverse();
}

/** In source order, as SQLite's. */
export async function pgSourceOutcomes(sql: Sql, snapshotId: number): Promise<SourceOutcome[]> {
  const { rows } = await sql.query<OutcomeRow>(OUTCOMES_SQL, [snapshotId]);
  return rows.map(outcomeOf);
}

export async function pgSnapshotById(sql: Sql, id: number): Promise<SnapshotRow | undefined> {
  return (await sql.query<SnapshotRow>(`SELECT ${COLS} FROM snapshots WHERE cluster = current_cluster() AND id = $1`, [id])).rows[0];
}

/** The snapshot a reference names, with ../snapshot-index.ts resolveSnapshot's queries and messages. */
export async function pgResolveSnapshot(sql: Sql, ref: SnapshotRef): Promise<SnapshotRow> {
  if (ref.kind === 'id') {
    const row = await pgSnapshotById(sql, ref.id);
    if (!row) throw new NotFoundError(`no snapshot #${ref.id}`);
    return row;
  }
  if (ref.kind === 'latest') {
    const row = (await sql.query<SnapshotRow>(`SELECT ${COLS} FROM snapshots WHERE cluster = current_cluster() ORDER BY id DESC LIMIT 1 OFFSET $1`, [ref.back])).rows[0];
    if (!row) throw new NotFoundError(ref.back ? `fewer than ${ref.back + 1} snapshots recorded` : 'no snapshot recorded yet');
    return row;
  }
  const q = `SELECT ${COLS} FROM snapshots WHERE cluster = current_cluster() AND started_at <= $1 ORDER BY started_at DESC, id DESC LIMIT 1`;
  const row = (await sql.query<SnapshotRow>(q, [ref.at])).rows[0];
  if (!row) throw new NotFoundError(`no snapshot at or before ${formatTime(ref.at)}`);
  return row;
}

/** The last snapshot at or before `snapshotId` in which `source` was read (../snapshot-index.ts lastOkSnapshot). */
export async function pgLastOkSnapshot(sql: Sql, source: SourceName, snapshotId: number): Promise<number | null> {
  const q = 'SELECT max(snapshot_id) AS id FROM snapshot_sources WHERE cluster = current_cluster() AND source = $1 AND ok AND snapshot_id <= $2';
  return (await sql.query<{ id: number | null }>(q, [source, snapshotId])).rows[0]!.id;
}

/** The first and last snapshot ids (0 and 0 when there is none), as ../history-facts.ts snapshotIdRange. */
export async function pgSnapshotIdRange(sql: Sql): Promise<{ first: number; last: number }> {
  const r = (await sql.query<{ first: number | null; last: number | null }>('SELECT min(id) AS first, max(id) AS last FROM snapshots WHERE cluster = current_cluster()')).rows[0]!;
  return { first: r.first ?? 0, last: r.last ?? 0 };
}

/** The address a source was last read at, with the snapshot ZooKeeper named it in (../snapshot-index.ts lastSourceEndpoint). */
export async function pgLastSourceEndpoint(sql: Sql, source: SourceName): Promise<{ endpoint: string; snapshotId: number } | null> {
  const { rows } = await sql.query<EndpointRow>(LAST_ENDPOINT_SQL, [source]);
  return endpointOf(rows[0]);
}
