// State checkpoints (I/O): reading the latest one at or before a snapshot, the
// versions of a source after it, and writing new ones when they are due
// (checkpoint-format.ts has the rule). A checkpoint is written in the same
// transaction as the snapshot that makes it due, so a crash never leaves a
// checkpoint without its versions or the other way round.
import { DatabaseError } from '../errors.js';
import { STORED_SOURCES, type StoredSource } from '../snapshot/source-name.js';
import { isSummarized, summarizeValue } from '../snapshot/fact-summary.js';
import { CheckpointReplay } from './checkpoint-replay.js';
import { checkpointThreshold, decodeState, dueAfter, encodeState, packState, NO_CHECKPOINT, type CheckpointHead, type KindGroups, type StoredFact, type StoredState, type VersionCount } from './checkpoint-format.js';
import type { Db } from './db.js';
import type { FactVersion } from './source-state.js';
import { codeOf } from './source-codes.js';
import { statement } from './statement-cache.js';
import { unpackRows } from './value-codec.js';
import { withWriteTransaction } from './write-transaction.js';

export interface Checkpoint {
  snapshotId: number;
  state: KindGroups;
}

export interface SourceVersion extends FactVersion {
  snapshot: number;
}

const LATEST = Number.MAX_SAFE_INTEGER;

export const HEAD_SQL = `
  SELECT snapshot_id AS snapshotId, facts FROM state_checkpoints
  WHERE cluster = current_cluster() AND source = ? AND snapshot_id <= ? ORDER BY snapshot_id DESC LIMIT 1`;

export const CHECKPOINT_SQL = `
  SELECT snapshot_id AS snapshotId, state FROM state_checkpoints
  WHERE cluster = current_cluster() AND source = ? AND snapshot_id <= ? ORDER BY snapshot_id DESC LIMIT 1`;

const SUMMARY_CHECKPOINT_SQL = `
  SELECT snapshot_id AS snapshotId, coalesce(summary, state) AS state FROM state_checkpoints
  WHERE cluster = current_cluster() AND source = ? AND snapshot_id <= ? ORDER BY snapshot_id DESC LIMIT 1`;

export const SOURCE_VERSIONS_SQL = `
  SELECT v.from_snapshot AS snapshot, k.kind AS kind, k.entity AS entity, v.value AS value
  FROM fact_versions v JOIN fact_keys k ON k.id = v.key_id
  WHERE v.cluster = current_cluster() AND v.source = ${codeOf('?')} AND v.from_snapshot > ? AND v.from_snapshot <= ?
  ORDER BY v.from_snapshot
  LIMIT ?`;

// The net change since a checkpoint: each key's last version in the range
// (SQLite takes a bare column from the row holding max()). The range is one
// contiguous stretch of the table, which is clustered by (source, from_snapshot).
export const NET_CHANGES_SQL = `
  SELECT k.kind AS kind, k.entity AS entity, c.value AS value
  FROM (SELECT key_id, value, max(from_snapshot) FROM fact_versions
        WHERE cluster = current_cluster() AND source = ${codeOf('?')} AND from_snapshot > ? AND from_snapshot <= ? GROUP BY key_id) c
  CROSS JOIN fact_keys k ON k.id = c.key_id`;

// Counting stops at the limit: the question is only whether a checkpoint is due
// (below the limit, the last version's snapshot tells whether the checkpoint is old).
export const COUNT_SINCE_SQL = `
  SELECT count(*) AS n, max(from_snapshot) AS last FROM (
    SELECT from_snapshot FROM fact_versions WHERE cluster = current_cluster() AND source = ${codeOf('?')} AND from_snapshot > ? AND from_snapshot <= ? LIMIT ?)`;

const INSERT_SQL = 'INSERT INTO state_checkpoints (cluster, source, snapshot_id, facts, state, summary) VALUES (current_cluster(), ?, ?, ?, ?, ?)';

/**
 * The latest checkpoint of `source` at or before `snapshotId`, decoded; with
 * `summaries`, registrations and statuses come summarized (src/snapshot/fact-summary.ts).
 */
export function checkpointAt(db: Db, source: StoredSource, snapshotId: number, summaries = false): Checkpoint | null {
  const sql = summaries ? SUMMARY_CHECKPOINT_SQL : CHECKPOINT_SQL;
  return checkpointOf(source, statement(db, sql).get(source, snapshotId) as CheckpointRow | undefined);
}

/** A state_checkpoints row as read (either engine). */
export interface CheckpointRow {
  snapshotId: number;
  state: StoredState;
}

/** The checkpoint a row holds, decoded (pure); an undecodable one is a damaged history. */
export function checkpointOf(source: StoredSource, row: CheckpointRow | undefined): Checkpoint | null {
  if (!row) return null;
  const state = decodeState(row.state);
  if (!state) throw new DatabaseError(`damaged database: the ${source} checkpoint at snapshot #${row.snapshotId} is unreadable`);
  return { snapshotId: row.snapshotId, state };
}

/** Versions of `source` in snapshots (after, upTo], in snapshot order, at most `limit`. */
export function sourceVersions(db: Db, source: StoredSource, after: number, upTo: number, limit = -1): SourceVersion[] {
  return unpackRows(statement(db, SOURCE_VERSIONS_SQL).all(source, after, upTo, limit) as SourceVersion[]);
}

/** The latest checkpoint's snapshot and size, without its state; snapshot 0 and size 0 when there is none. */
export function checkpointHead(db: Db, source: StoredSource, atOrBefore: number): CheckpointHead {
  return (statement(db, HEAD_SQL).get(source, atOrBefore) as CheckpointHead | undefined) ?? NO_CHECKPOINT;
}

/** Versions of `source` in snapshots (after, upTo], counted up to `limit` at most, and the last one's snapshot (null: none). */
export function countVersions(db: Db, source: StoredSource, after: number, upTo: number, limit: number): VersionCount {
  return statement(db, COUNT_SINCE_SQL).get(source, after, upTo, limit) as VersionCount;
}

/** Each key of `source` whose value changed in snapshots (after, upTo], with its value at `upTo`. */
export function netChanges(db: Db, source: StoredSource, after: number, upTo: number): FactVersion[] {
  return unpackRows(statement(db, NET_CHANGES_SQL).all(source, after, upTo) as FactVersion[]);
}

/**
 * Versions of `source` in (after, upTo] in pages of about `pageRows`, each
 * page ending on a whole snapshot (a snapshot larger than a page is one page).
 */
function* versionPages(db: Db, source: StoredSource, after: number, upTo: number, pageRows: number): Generator<SourceVersion[]> {
  let from = after;
  for (;;) {
    const rows = sourceVersions(db, source, from, upTo, pageRows);
    if (rows.length < pageRows) {
      if (rows.length > 0) yield rows;
      return;
    }
    const lastSnapshot = rows.at(-1)!.snapshot;
    let whole = rows.filter((r) => r.snapshot < lastSnapshot);
    if (whole.length === 0) whole = sourceVersions(db, source, lastSnapshot - 1, lastSnapshot);
    yield whole;
    from = whole.at(-1)!.snapshot;
  }
}

export function insertCheckpoint(db: Db, source: StoredSource, snapshotId: number, facts: readonly StoredFact[]): void {
  const summary = facts.some((f) => isSummarized(f.kind))
    ? packState(encodeState(facts.map((f) => ({ ...f, value: summarizeValue(f.kind, f.value) }))))
    : null;
  statement(db, INSERT_SQL).run(source, snapshotId, facts.length, packState(encodeState(facts)), summary);
}

const PAGE_ROWS = 20_000;

/**
 * Writes the checkpoints of `source` that are due up to snapshot `upTo`:
 * usually none, or one at `upTo` itself; after a migration or a prune, every
 * one the history needs. Runs inside the caller's write transaction. Returns
 * how many were written.
 */
export function maintainCheckpoints(db: Db, source: StoredSource, upTo: number): number {
  const head = checkpointHead(db, source, upTo);
  if (!dueAfter(head, countVersions(db, source, head.snapshotId, upTo, checkpointThreshold(head.facts)))) return 0;
  const replay = new CheckpointReplay(checkpointAt(db, source, head.snapshotId)?.state, head);
  let written = 0;
  for (const page of versionPages(db, source, head.snapshotId, upTo, PAGE_ROWS)) {
    for (const due of replay.apply(page)) {
      insertCheckpoint(db, source, due.snapshot, due.facts);
      written++;
    }
  }
  return written;
}

/**
 * Brings every source's checkpoints up to date (a no-op costing a few index
 * reads when they are): after the migration that introduced them, on a
 * history written by an older treesnap, or after a prune.
 */
export function ensureCheckpoints(db: Db): number {
  return withWriteTransaction(db, () => STORED_SOURCES.reduce((n, source) => n + maintainCheckpoints(db, source, LATEST), 0));
}
