// The reads `treesnap verify` walks a history with (I/O): everything in
// bounded ranges, so a damaged page costs only the range that touches it.
import type { StoredSource } from '../snapshot/source-name.js';
import type { StoredState } from './checkpoint-format.js';
import type { Db } from './db.js';
import { EACH_OUTCOME } from './snapshot-index.js';
import { nameOf } from './source-codes.js';
import { statement } from './statement-cache.js';

export interface SnapshotRow {
  id: number;
  startedAt: number;
  finishedAt: number;
  failedSources: number;
}

export interface OutcomeFlag {
  snapshotId: number;
  source: string;
  ok: number;
}

const SNAPSHOTS_SQL = `SELECT id, started_at AS startedAt, finished_at AS finishedAt, failed_sources AS failedSources
  FROM snapshots WHERE cluster = current_cluster() AND id > ? AND id <= ? ORDER BY id`;
const OUTCOMES_SQL = `SELECT snapshot_id AS snapshotId, ${nameOf('o.source')} AS source, ok FROM snapshot_sources o
  WHERE ${EACH_OUTCOME} AND snapshot_id > ? AND snapshot_id <= ? ORDER BY snapshot_id, source`;
const HEAD_SQL = 'SELECT coalesce(max(id), 0) FROM snapshots WHERE cluster = current_cluster()';
const CHECKPOINT_IDS_SQL = 'SELECT snapshot_id FROM state_checkpoints WHERE cluster = current_cluster() AND source = ? ORDER BY snapshot_id';
const CHECKPOINT_STATE_SQL = 'SELECT state FROM state_checkpoints WHERE cluster = current_cluster() AND source = ? AND snapshot_id = ?';

export function headSnapshot(db: Db): number {
  return statement(db, HEAD_SQL).pluck().get() as number;
}

export function snapshotsIn(db: Db, after: number, upTo: number): SnapshotRow[] {
  return statement(db, SNAPSHOTS_SQL).all(after, upTo) as SnapshotRow[];
}

export function outcomesIn(db: Db, after: number, upTo: number): OutcomeFlag[] {
  return statement(db, OUTCOMES_SQL).all(after, upTo) as OutcomeFlag[];
}

/** The snapshots `source` has checkpoints at, read from the primary key alone. */
export function checkpointIds(db: Db, source: StoredSource): number[] {
  return statement(db, CHECKPOINT_IDS_SQL).pluck().all(source) as number[];
}

/** One checkpoint as stored (checkpoint-format.ts: deflated, or plain text in an older history). */
export function storedCheckpoint(db: Db, source: StoredSource, snapshotId: number): StoredState | undefined {
  return statement(db, CHECKPOINT_STATE_SQL).pluck().get(source, snapshotId) as StoredState | undefined;
}
