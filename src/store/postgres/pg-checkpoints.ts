// State checkpoints on PostgreSQL: the same rule and the same rows as
// ../state-checkpoints.ts (reading the latest checkpoint at or before a
// snapshot, the net change after it, writing the checkpoints a write makes
// due), in PostgreSQL's SQL. Every function runs inside the caller's transaction.
import { isSummarized, summarizeValue } from '../../snapshot/fact-summary.js';
import type { StoredSource } from '../../snapshot/source-name.js';
import { CheckpointReplay } from '../checkpoint-replay.js';
import { checkpointThreshold, dueAfter, encodeState, packState, NO_CHECKPOINT, type CheckpointHead, type StoredFact, type VersionCount } from '../checkpoint-format.js';
import type { FactVersion } from '../source-state.js';
import { checkpointOf, type Checkpoint, type CheckpointRow, type SourceVersion } from '../state-checkpoints.js';
import type { Sql } from './pg-db.js';

export const CHECKPOINT_SQL = `
  SELECT snapshot_id AS "snapshotId", state FROM state_checkpoints
  WHERE cluster = current_cluster() AND source = $1 AND snapshot_id <= $2 ORDER BY snapshot_id DESC LIMIT 1`;

export const SUMMARY_CHECKPOINT_SQL = `
  SELECT snapshot_id AS "snapshotId", coalesce(summary, state) AS state FROM state_checkpoints
  WHERE cluster = current_cluster() AND source = $1 AND snapshot_id <= $2 ORDER BY snapshot_id DESC LIMIT 1`;

export const HEAD_SQL = `
  SELECT snapshot_id AS "snapshotId", facts FROM state_checkpoints
  WHERE cluster = current_cluster() AND source = $1 AND snapshot_id <= $2 ORDER BY snapshot_id DESC LIMIT 1`;

// Each key's last version in the range. Ordered by key as SQLite's GROUP BY key_id hands them out:
// the order in which new facts come out of a SourceState.
export const NET_CHANGES_SQL = `
  SELECT k.kind AS kind, k.entity AS entity, c.value AS value
  FROM (SELECT DISTINCT ON (key_id) key_id, value FROM fact_versions
        WHERE cluster = current_cluster() AND source = $1 AND from_snapshot > $2 AND from_snapshot <= $3
        ORDER BY key_id, from_snapshot DESC) c
  JOIN fact_keys k ON k.id = c.key_id
  ORDER BY c.key_id`;

// Ties within a snapshot in key order: the primary key's (source, from_snapshot, key_id), SQLite's row order.
export const SOURCE_VERSIONS_SQL = `
  SELECT v.from_snapshot AS snapshot, k.kind AS kind, k.entity AS entity, v.value AS value
  FROM fact_versions v JOIN fact_keys k ON k.id = v.key_id
  WHERE v.cluster = current_cluster() AND v.source = $1 AND v.from_snapshot > $2 AND v.from_snapshot <= $3
  ORDER BY v.from_snapshot, v.key_id
  LIMIT $4`;

export const COUNT_SINCE_SQL = `
  SELECT count(*)::integer AS n, max(from_snapshot) AS last FROM (
    SELECT from_snapshot FROM fact_versions WHERE cluster = current_cluster() AND source = $1 AND from_snapshot > $2 AND from_snapshot <= $3 LIMIT $4) c`;

const INSERT_SQL = 'INSERT INTO state_checkpoints (cluster, source, snapshot_id, facts, state, summary) VALUES (current_cluster(), $1, $2, $3, $4, $5)';

// Larger than any snapshot id; PostgreSQL's bigint holds it, as SQLite's integer does.
const LATEST = Number.MAX_SAFE_INTEGER;

export async function pgCheckpointAt(sql: Sql, source: StoredSource, snapshotId: number, summaries = false): Promise<Checkpoint | null> {
  const { rows } = await sql.query<CheckpointRow>(summaries ? SUMMARY_CHECKPOINT_SQL : CHECKPOINT_SQL, [source, snapshotId]);
  return checkpointOf(source, rows[0]);
}

export async function pgNetChanges(sql: Sql, source: StoredSource, after: number, upTo: number): Promise<FactVersion[]> {
  return (await sql.query<FactVersion>(NET_CHANGES_SQL, [source, after, upTo])).rows;
}

/** Versions of `source` in snapshots (after, upTo], in snapshot order, at most `limit` (null: all). */
export async function pgSourceVersions(sql: Sql, source: StoredSource, after: number, upTo: number, limit: number | null = null): Promise<SourceVersion[]> {
  return (await sql.query<SourceVersion>(SOURCE_VERSIONS_SQL, [source, after, upTo, limit])).rows;
}

async function checkpointHead(sql: Sql, source: StoredSource, atOrBefore: number): Promise<CheckpointHead> {
  return (await sql.query<CheckpointHead>(HEAD_SQL, [source, atOrBefore])).rows[0] ?? NO_CHECKPOINT;
}

async function countVersions(sql: Sql, source: StoredSource, after: number, upTo: number, limit: number): Promise<VersionCount> {
  return (await sql.query<VersionCount>(COUNT_SINCE_SQL, [source, after, upTo, limit])).rows[0]!;
}

export async function pgInsertCheckpoint(sql: Sql, source: StoredSource, snapshotId: number, facts: readonly StoredFact[]): Promise<void> {
  const summary = facts.some((f) => isSummarized(f.kind))
    ? packState(encodeState(facts.map((f) => ({ ...f, value: summarizeValue(f.kind, f.value) }))))
    : null;
  await sql.query(INSERT_SQL, [source, snapshotId, facts.length, packState(encodeState(facts)), summary]);
}

const PAGE_ROWS = 20_000;

/** Versions in (after, upTo] in pages of about `pageRows`, each ending on a whole snapshot (as ../state-checkpoints.ts). */
async function* versionPages(sql: Sql, source: StoredSource, after: number, upTo: number, pageRows: number): AsyncGenerator<SourceVersion[]> {
  let from = after;
  for (;;) {
    const rows = await pgSourceVersions(sql, source, from, upTo, pageRows);
    if (rows.length < pageRows) {
      if (rows.length > 0) yield rows;
      return;
    }
    const lastSnapshot = rows.at(-1)!.snapshot;
    let whole = rows.filter((r) => r.snapshot < lastSnapshot);
    if (whole.length === 0) whole = await pgSourceVersions(sql, source, lastSnapshot - 1, lastSnapshot);
    yield whole;
    from = whole.at(-1)!.snapshot;
  }
}

/** Writes the checkpoints of `source` due up to snapshot `upTo` (the rule of ../state-checkpoints.ts maintainCheckpoints). */
export async function pgMaintainCheckpoints(sql: Sql, source: StoredSource, upTo: number = LATEST): Promise<number> {
  const head = await checkpointHead(sql, source, upTo);
  if (!dueAfter(head, await countVersions(sql, source, head.snapshotId, upTo, checkpointThreshold(head.facts)))) return 0;
  const replay = new CheckpointReplay((await pgCheckpointAt(sql, source, head.snapshotId))?.state, head);
  let written = 0;
  for await (const page of versionPages(sql, source, head.snapshotId, upTo, PAGE_ROWS)) {
    for (const due of replay.apply(page)) {
      await pgInsertCheckpoint(sql, source, due.snapshot, due.facts);
      written++;
    }
  }
  return written;
}
