// Recording a snapshot on PostgreSQL: the rows ../insert-snapshot-rows.ts adds
// (the snapshot, one outcome per source, the changed versions with a key row the
// first time a key is seen, the checkpoints they make due), planned as
// ../write-snapshot.ts plans them, in one transaction that holds the write lock
// (pg-db.ts pgWrite). Rows go in as arrays (unnest), a few round trips per
// source rather than one per version.
import type { Observation } from '../../model/observation.js';
import type { LeafValue } from '../../snapshot/fact.js';
import { planSourceVersions, planStatVersions, type VersionWrite } from '../../snapshot/plan-versions.js';
import type { StoredSource } from '../../snapshot/source-name.js';
import { sourceFacts } from '../../snapshot/source-registry.js';
import { watchTombstones } from '../../snapshot/zk-watch-facts.js';
import type { SnapshotRows, WriteResult, WrittenVersion } from '../insert-snapshot-rows.js';
import { deltaRows, type SnapshotDelta } from '../write-snapshot-delta.js';
import { outcomeRow } from '../write-snapshot.js';
import type { LeaseClaim } from '../collector-lease-contract.js';
import { pgMaintainCheckpoints } from './pg-checkpoints.js';
import { pgCheckLease } from './pg-lease.js';
import { pgWrite, type PgDb, type Sql } from './pg-db.js';
import { pgReadSourceState, pgReadSourceStateMap } from './pg-read-state.js';

const LATEST = Number.MAX_SAFE_INTEGER;

/** The key ids of `writes` of `source`, in their order; keys seen for the first time are added in that order. */
async function keyIds(sql: Sql, source: StoredSource, writes: readonly VersionWrite[]): Promise<number[]> {
  const kinds = writes.map((w) => w.kind);
  const entities = writes.map((w) => w.entity);
  const found = await sql.query<{ i: number; id: number }>(
    `SELECT w.i::int AS i, k.id FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS w(kind, entity, i)
     JOIN fact_keys k ON k.cluster = current_cluster() AND k.source = $1 AND k.kind = w.kind AND k.entity = w.entity`,
    [source, kinds, entities],
  );
  const ids: (number | undefined)[] = new Array(writes.length);
  for (const r of found.rows) ids[r.i - 1] = r.id;
  const missing = writes.flatMap((_, i) => (ids[i] === undefined ? [i] : []));
  if (missing.length) {
    // Ids in the order of the writes, as SQLite's one insert at a time gives them: readers order new facts by key.
    const added = await sql.query<{ id: number }>(
      `INSERT INTO fact_keys (cluster, source, kind, entity)
       SELECT current_cluster(), $1::text, kind, entity FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS w(kind, entity, i) ORDER BY i
       RETURNING id`,
      [source, missing.map((i) => kinds[i]), missing.map((i) => entities[i])],
    );
    added.rows.forEach((r, j) => (ids[missing[j]!] = r.id));
  }
  return ids as number[];
}

/** Adds versions of one source at `snapshotId` and the checkpoints they make due; returns how many. */
export async function pgInsertVersions(sql: Sql, snapshotId: number, source: StoredSource, writes: readonly VersionWrite[]): Promise<number> {
  if (writes.length === 0) return 0;
  const ids = await keyIds(sql, source, writes);
  await sql.query(
    'INSERT INTO fact_versions (cluster, key_id, from_snapshot, value, source) SELECT current_cluster(), k, $2::bigint, v, $3::text FROM unnest($1::bigint[], $4::text[]) AS w(k, v)',
    [ids, snapshotId, source, writes.map((w) => w.value)],
  );
  await pgMaintainCheckpoints(sql, source, snapshotId);
  return writes.length;
}

async function insertSnapshotRows(sql: Sql, rows: SnapshotRows): Promise<WriteResult> {
  const failedSources = rows.outcomes.filter((o) => !o.ok).map((o) => o.source);
  const { rows: inserted } = await sql.query<{ id: number }>(
    // Numbered per cluster: the next after the cluster's last, under the write lock (as SQLite's).
    `INSERT INTO snapshots (cluster, id, started_at, finished_at, failed_sources)
     SELECT current_cluster(), coalesce(max(id), 0) + 1, $1, $2, $3 FROM snapshots WHERE cluster = current_cluster()
     RETURNING id`,
    [rows.startedAt, rows.finishedAt, failedSources.length],
  );
  const snapshotId = inserted[0]!.id;
  const o = rows.outcomes;
  await sql.query(
    `INSERT INTO snapshot_sources (cluster, snapshot_id, source, ok, error_kind, error_message, duration_ms, endpoint, stats)
     SELECT current_cluster(), $1::bigint, * FROM unnest($2::text[], $3::boolean[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[])`,
    [snapshotId, o.map((r) => r.source), o.map((r) => r.ok), o.map((r) => r.errorKind), o.map((r) => r.errorMessage),
      o.map((r) => Math.round(r.durationMs)), o.map((r) => r.endpoint), o.map((r) => r.stats)],
  );
  const changes: Record<string, number> = {};
  for (const r of o) changes[r.source] = await pgInsertVersions(sql, snapshotId, r.source, rows.writes.filter((w) => w.source === r.source));
  if (rows.records?.length) await pgInsertVersions(sql, snapshotId, 'zk.stat', rows.records);
  if (rows.watch?.length) await pgInsertVersions(sql, snapshotId, 'zk.watch', rows.watch);
  return { snapshotId, changes, failedSources, written: [...rows.writes] };
}

async function previousZkLeaves(sql: Sql): Promise<Map<string, LeafValue>> {
  const leaves = new Map<string, LeafValue>();
  for (const f of await pgReadSourceState(sql, 'zk.roles', LATEST, { kind: 'leaf' })) leaves.set(f.entity, JSON.parse(f.value) as LeafValue);
  return leaves;
}

/** As ../write-snapshot.ts writeSnapshot: planned inside the transaction, against the head no other writer can move. */
// With a lease claim, the claim is checked first (pg-lease.ts): a collector that lost the lease writes nothing.
export function pgWriteSnapshot(db: PgDb, obs: Observation, watch: readonly VersionWrite[] = [], lease?: LeaseClaim): Promise<WriteResult> {
  return pgWrite(db, async (sql) => {
    if (lease) await pgCheckLease(sql, lease);
    const all = sourceFacts(obs, { zkLeaves: await previousZkLeaves(sql) });
    const writes: WrittenVersion[] = [];
    for (const sf of all) {
      if (!sf.ok) continue;
      for (const w of planSourceVersions(await pgReadSourceStateMap(sql, sf.source, LATEST), sf).writes) writes.push({ source: sf.source, ...w });
    }
    const records = planStatVersions(await pgReadSourceStateMap(sql, 'zk.stat', LATEST), obs).writes;
    const watched = [...watch, ...watchTombstones(await pgReadSourceStateMap(sql, 'zk.watch', LATEST), watch)];
    return insertSnapshotRows(sql, { startedAt: obs.startedAt, finishedAt: obs.finishedAt, outcomes: all.map(outcomeRow), writes, records, watch: watched });
  });
}

/** As ../write-snapshot-delta.ts writeSnapshotDelta: a malformed delta is refused before anything is written. */
export async function pgWriteSnapshotDelta(db: PgDb, delta: SnapshotDelta): Promise<WriteResult> {
  const rows = deltaRows(delta);
  return pgWrite(db, (sql) => insertSnapshotRows(sql, rows));
}
