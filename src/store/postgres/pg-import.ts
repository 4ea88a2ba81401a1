// Copying a cluster's history from a SQLite file into PostgreSQL (I/O), as
// ../cluster-import.ts does into SQLite: every row as stored, snapshot ids and
// times unchanged, in one transaction under the write lock, a batch of rows
// per statement (unnest). Refused when the cluster already has a snapshot.
import { countSnapshots, emptyCounts, type ClusterExport, type ImportCounts, type KeyExport } from '../cluster-export.js';
import { packed, refuseNonEmpty } from '../cluster-import.js';
import { pgWrite, type PgDb, type Sql } from './pg-db.js';

const SQL = {
  any: 'SELECT 1 FROM snapshots WHERE cluster = current_cluster() LIMIT 1',
  snapshots: `INSERT INTO snapshots (cluster, id, started_at, finished_at, failed_sources)
    SELECT current_cluster(), * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::int[])`,
  outcomes: `INSERT INTO snapshot_sources (cluster, snapshot_id, source, ok, error_kind, error_message, duration_ms, endpoint, stats)
    SELECT current_cluster(), * FROM unnest($1::bigint[], $2::text[], $3::boolean[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[])`,
  // RETURNING in the order given (as pg-write.ts relies on): the new ids keep the old ones' order.
  keys: `INSERT INTO fact_keys (cluster, source, kind, entity)
    SELECT current_cluster(), source, kind, entity FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS w(source, kind, entity, i) ORDER BY i
    RETURNING id`,
  versions: `INSERT INTO fact_versions (cluster, key_id, from_snapshot, value, source)
    SELECT current_cluster(), * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[])`,
  checkpoints: `INSERT INTO state_checkpoints (cluster, source, snapshot_id, facts, state, summary)
    SELECT current_cluster(), * FROM unnest($1::text[], $2::bigint[], $3::int[], $4::bytea[], $5::bytea[])`,
  meta: 'INSERT INTO meta (cluster, key, value) SELECT current_cluster(), * FROM unnest($1::text[], $2::text[])',
};

const buf = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

async function copyKeys(sql: Sql, batch: readonly KeyExport[], ids: Map<number, number>): Promise<void> {
  const { rows } = await sql.query<{ id: number }>(SQL.keys, [batch.map((k) => k.source), batch.map((k) => k.kind), batch.map((k) => k.entity)]);
  rows.forEach((r, i) => ids.set(batch[i]!.id, r.id));
}

async function copy(sql: Sql, from: ClusterExport): Promise<ImportCounts> {
  const n = emptyCounts();
  for (const b of from.snapshots()) {
    await sql.query(SQL.snapshots, [b.map((s) => s.id), b.map((s) => s.startedAt), b.map((s) => s.finishedAt), b.map((s) => s.failedSources)]);
    countSnapshots(n, b);
  }
  for (const b of from.outcomes()) {
    await sql.query(SQL.outcomes, [b.map((o) => o.snapshotId), b.map((o) => o.source), b.map((o) => o.ok === 1), b.map((o) => o.errorKind),
      b.map((o) => o.errorMessage), b.map((o) => o.durationMs), b.map((o) => o.endpoint), b.map((o) => o.stats)]);
    n.outcomes += b.length;
  }
  const ids = new Map<number, number>();
  for (const b of from.keys()) {
    await copyKeys(sql, b, ids);
    n.keys += b.length;
  }
  for (const b of from.versions()) {
    await sql.query(SQL.versions, [b.map((v) => ids.get(v.keyId)), b.map((v) => v.fromSnapshot), b.map((v) => v.value), b.map((v) => v.source)]);
    n.versions += b.length;
  }
  for (const b of from.checkpoints()) {
    await sql.query(SQL.checkpoints, [b.map((c) => c.source), b.map((c) => c.snapshotId), b.map((c) => c.facts),
      b.map((c) => buf(packed(c.state))), b.map((c) => (c.summary === null ? null : buf(packed(c.summary))))]);
    n.checkpoints += b.length;
  }
  for (const b of from.meta()) {
    await sql.query(SQL.meta, [b.map((m) => m.key), b.map((m) => m.value)]);
    n.meta += b.length;
  }
  return n;
}

export function pgImportCluster(db: PgDb, from: ClusterExport): Promise<ImportCounts> {
  return pgWrite(db, async (sql) => {
    refuseNonEmpty(db.cluster, (await sql.query(SQL.any)).rows.length > 0);
    return copy(sql, from);
  });
}
