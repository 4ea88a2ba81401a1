// A derived source's record on PostgreSQL (../derived-record.ts): in one write
// transaction under the write lock, only if its mark in `meta` still stands.
import type { DerivedSource } from '../../snapshot/source-name.js';
import type { DerivedRecord } from '../derived-record.js';
import { pgWrite, type PgDb, type Sql } from './pg-db.js';
import { pgReadMeta, pgWriteMeta } from './pg-meta.js';
import { pgInsertVersions } from './pg-write.js';

async function pgClearDerivedSource(sql: Sql, source: DerivedSource): Promise<void> {
  for (const table of ['fact_versions', 'state_checkpoints', 'fact_keys']) {
    await sql.query(`DELETE FROM ${table} WHERE cluster = current_cluster() AND source = $1`, [source]);
  }
}

export function pgWriteDerivedRecord(db: PgDb, r: DerivedRecord): Promise<boolean> {
  return pgWrite(db, async (sql) => {
    if ((await pgReadMeta(sql, r.mark.key)) !== r.mark.from) return false;
    if (r.clear) await pgClearDerivedSource(sql, r.source);
    for (const s of r.snapshots) await pgInsertVersions(sql, s.snapshotId, r.source, s.writes);
    await pgWriteMeta(sql, r.mark.key, r.mark.to);
    return true;
  });
}
