// Retention on PostgreSQL: ../prune.ts's rule (keep a suffix of snapshots from
// K, carry the versions in force at K to it, drop the rest, checkpoint every
// source at K), planned by the same pure function, in one write transaction
// under the history's write lock. Nothing shrinks on disk: PostgreSQL's
// autovacuum makes the freed space reusable by later writes (bytesFreed 0, as
// on a SQLite file without incremental auto-vacuum).
import { STORED_SOURCES } from '../../snapshot/source-name.js';
import { carrySql, doomedKeysSql, EACH_VERSION_SOURCE, planFrom, type CarryRow, type Plan, type PruneOptions, type PruneResult } from '../prune.js';
import { pgInsertCheckpoint } from './pg-checkpoints.js';
import { pgRead, pgWrite, type PgDb, type Sql } from './pg-db.js';
import { pgReadSourceFacts } from './pg-read-state.js';
import { EACH_OUTCOME } from './pg-reader-sql-more.js';

async function value<T>(sql: Sql, text: string, params: unknown[] = []): Promise<T> {
  const { rows } = await sql.query<{ v: T }>(text, params);
  return rows[0]!.v;
}

async function oldestKept(sql: Sql, before: number): Promise<number | null> {
  const first = await value<number | null>(sql, 'SELECT min(id) AS v FROM snapshots WHERE cluster = current_cluster() AND started_at >= $1', [before]);
  return first ?? value<number | null>(sql, 'SELECT max(id) AS v FROM snapshots WHERE cluster = current_cluster()');
}

async function plan(sql: Sql, before: number, dryRun: boolean): Promise<Plan | PruneResult> {
  const k = await oldestKept(sql, before);
  if (k === null) return planFrom(k, dryRun, () => null);
  const snapshots = await value<number>(sql, 'SELECT count(*) AS v FROM snapshots WHERE cluster = current_cluster() AND id < $1', [k]);
  const oldVersions = await value<number>(sql, `SELECT count(*) AS v FROM fact_versions WHERE ${EACH_VERSION_SOURCE} AND from_snapshot < $1`, [k]);
  if (snapshots === 0 && oldVersions === 0) return planFrom(k, dryRun, () => null);
  const carry = (await sql.query<CarryRow>(carrySql('$1'), [k])).rows;
  const doomedKeys = (await sql.query<{ count: number }>(doomedKeysSql('$1'), [k])).rows[0]!.count;
  return planFrom(k, dryRun, () => ({ snapshots, oldVersions, carry, doomedKeys }));
}

async function apply(sql: Sql, p: Plan): Promise<void> {
  await sql.query(
    `UPDATE fact_versions v SET from_snapshot = $1 FROM unnest($2::bigint[], $3::bigint[]) AS c(key_id, f)
     WHERE v.key_id = c.key_id AND v.from_snapshot = c.f`,
    [p.k, p.carried.map((r) => r.keyId), p.carried.map((r) => r.fromSnapshot)],
  );
  await sql.query(`DELETE FROM fact_versions WHERE ${EACH_VERSION_SOURCE} AND from_snapshot < $1`, [p.k]);
  await sql.query('DELETE FROM state_checkpoints WHERE cluster = current_cluster() AND snapshot_id < $1', [p.k]);
  await sql.query(`DELETE FROM snapshot_sources WHERE ${EACH_OUTCOME} AND snapshot_id < $1`, [p.k]);
  await sql.query('DELETE FROM snapshots WHERE cluster = current_cluster() AND id < $1', [p.k]);
  await sql.query('DELETE FROM fact_keys k WHERE k.cluster = current_cluster() AND NOT EXISTS (SELECT 1 FROM fact_versions v WHERE v.key_id = k.id)');
  for (const source of STORED_SOURCES) {
    const has = await sql.query('SELECT 1 FROM state_checkpoints WHERE cluster = current_cluster() AND source = $1 AND snapshot_id = $2', [source, p.k]);
    if (has.rowCount) continue;
    await pgInsertCheckpoint(sql, source, p.k, (await pgReadSourceFacts(sql, source, p.k)).all());
  }
}

export async function pgPruneHistory(db: PgDb, opts: PruneOptions): Promise<PruneResult> {
  const dryRun = opts.dryRun ?? false;
  if (dryRun) {
    const p = await pgRead(db, (sql) => plan(sql, opts.before, true));
    return 'result' in p ? p.result : p;
  }
  const p = await pgWrite(
    db,
    async (sql) => {
      const planned = await plan(sql, opts.before, false);
      if ('result' in planned) await apply(sql, planned);
      return planned;
    },
    'prune',
  );
  return 'result' in p ? p.result : p;
}
