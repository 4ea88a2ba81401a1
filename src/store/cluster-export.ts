// A cluster's rows as stored, read from a SQLite history for `treesnap import`
// (I/O): every table in its key's order, in batches, so a history of any size
// is copied in bounded memory. Only the handle's cluster is read. Values are
// and stats are handed out as text (value-codec.ts): the target packs them as it packs its own.
import type { Db } from './db.js';
import { nameOf } from './source-codes.js';
import { statement } from './statement-cache.js';
import { unpackEach, unpackValue, type StoredValue } from './value-codec.js';

export interface SnapshotExport { id: number; startedAt: number; finishedAt: number; failedSources: number }
export interface OutcomeExport {
  snapshotId: number; source: string; ok: number; errorKind: string | null; errorMessage: string | null;
  durationMs: number; endpoint: string | null; stats: string | null;
}
export interface KeyExport { id: number; source: string; kind: string; entity: string }
export interface VersionExport { keyId: number; fromSnapshot: number; value: string | null; source: string }
/** state and summary as stored: deflated bytes, or plain text in a checkpoint written before migration 0002. */
export interface CheckpointExport { source: string; snapshotId: number; facts: number; state: Uint8Array | string; summary: Uint8Array | string | null }
export interface MetaExport { key: string; value: string }

export interface ClusterExport {
  snapshots(): Iterable<SnapshotExport[]>;
  outcomes(): Iterable<OutcomeExport[]>;
  keys(): Iterable<KeyExport[]>;
  versions(): Iterable<VersionExport[]>;
  checkpoints(): Iterable<CheckpointExport[]>;
  meta(): Iterable<MetaExport[]>;
}

const C = 'cluster = current_cluster()';
const SQL = {
  snapshots: `SELECT id, started_at AS startedAt, finished_at AS finishedAt, failed_sources AS failedSources FROM snapshots WHERE ${C} ORDER BY id`,
  outcomes: `SELECT snapshot_id AS snapshotId, ${nameOf('o.source')} AS source, ok, error_kind AS errorKind, error_message AS errorMessage,
    duration_ms AS durationMs, endpoint, stats FROM snapshot_sources o WHERE ${C} ORDER BY snapshot_id, source`,
  keys: `SELECT id, source, kind, entity FROM fact_keys WHERE ${C} ORDER BY id`,
  // v.source: the key's first column (the code), not the name the row is given.
  versions: `SELECT key_id AS keyId, from_snapshot AS fromSnapshot, value, ${nameOf('v.source')} AS source FROM fact_versions v
    WHERE ${C} ORDER BY v.source, from_snapshot, key_id`,
  checkpoints: `SELECT source, snapshot_id AS snapshotId, facts, state, summary FROM state_checkpoints WHERE ${C} ORDER BY source, snapshot_id`,
  meta: `SELECT key, value FROM meta WHERE ${C} ORDER BY key`,
};

/** Checkpoints are large (megabytes each at scale): fewer of them per batch. */
const BATCH = { rows: 5000, checkpoints: 20 };

function* batches<T>(rows: Iterable<unknown>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const row of rows) {
    batch.push(row as T);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

function* unpackStats(rows: Iterable<OutcomeExport>): Generator<OutcomeExport> {
  for (const o of rows) yield { ...o, stats: unpackValue(o.stats as StoredValue) };
}

export function exportCluster(db: Db): ClusterExport {
  const read = <T>(sql: string, size = BATCH.rows) => () => batches<T>(statement(db, sql).iterate(), size);
  return {
    snapshots: read<SnapshotExport>(SQL.snapshots),
    outcomes: () => batches<OutcomeExport>(unpackStats(statement(db, SQL.outcomes).iterate() as Iterable<OutcomeExport>), BATCH.rows),
    keys: read<KeyExport>(SQL.keys),
    versions: () => batches<VersionExport>(unpackEach(statement(db, SQL.versions).iterate() as Iterable<VersionExport>), BATCH.rows),
    checkpoints: read<CheckpointExport>(SQL.checkpoints, BATCH.checkpoints),
    meta: read<MetaExport>(SQL.meta),
  };
}

export interface ImportCounts {
  snapshots: number;
  firstSnapshotId: number;
  lastSnapshotId: number;
  outcomes: number;
  keys: number;
  versions: number;
  checkpoints: number;
  meta: number;
}

export function emptyCounts(): ImportCounts {
  return { snapshots: 0, firstSnapshotId: 0, lastSnapshotId: 0, outcomes: 0, keys: 0, versions: 0, checkpoints: 0, meta: 0 };
}

export function countSnapshots(counts: ImportCounts, batch: readonly SnapshotExport[]): void {
  if (!batch.length) return;
  if (counts.snapshots === 0) counts.firstSnapshotId = batch[0]!.id;
  counts.lastSnapshotId = batch.at(-1)!.id;
  counts.snapshots += batch.length;
}
