// Finding snapshots: by reference, by time, and listing them with their
// per-source outcomes. Every lookup is an index seek on snapshots(id) or
// snapshots(started_at).
import { NotFoundError } from '../errors.js';
import type { SnapshotRef } from '../util/snapshot-ref.js';
import { formatTime } from '../util/time.js';
import type { SourceName } from '../snapshot/source-name.js';
import type { Db } from './db.js';
import { sourcesNamedIn } from './named-sources.js';
import type { snapshots, snapshotSources } from './schema.js';
import { codeOf, nameOf } from './source-codes.js';
import { statement } from './statement-cache.js';
import { unpackValue, type StoredValue } from './value-codec.js';

/** A snapshots row (schema.ts). */
export type SnapshotRow = Omit<typeof snapshots.$inferSelect, 'cluster'>;

/** A snapshot_sources row (schema.ts) of one snapshot: its source named, its stats parsed. */
export type SourceOutcome = Omit<typeof snapshotSources.$inferSelect, 'cluster' | 'snapshotId' | 'source' | 'stats'> & {
  source: SourceName;
  stats: Record<string, number>;
};

const COLS = 'id, started_at AS startedAt, finished_at AS finishedAt, failed_sources AS failedSources';

// Prepared once per connection (statement-cache.ts): some callers ask per snapshot.
const BY_ID_SQL = `SELECT ${COLS} FROM snapshots WHERE cluster = current_cluster() AND id = ?`;
const AT_OR_BEFORE_SQL = `SELECT ${COLS} FROM snapshots WHERE cluster = current_cluster() AND started_at <= ? ORDER BY started_at DESC, id DESC LIMIT 1`;
const LATEST_SQL = `SELECT ${COLS} FROM snapshots WHERE cluster = current_cluster() ORDER BY id DESC LIMIT 1 OFFSET ?`;
const LIST_SQL = `SELECT ${COLS} FROM snapshots WHERE cluster = current_cluster() AND started_at >= ? AND started_at <= ? ORDER BY started_at DESC, id DESC LIMIT ?`;
const BETWEEN_SQL = `SELECT ${COLS} FROM snapshots WHERE cluster = current_cluster() AND id >= ? AND id <= ? ORDER BY id`;

export function snapshotById(db: Db, id: number): SnapshotRow | undefined {
  return statement(db, BY_ID_SQL).get(id) as SnapshotRow | undefined;
}

export function snapshotAtOrBefore(db: Db, at: number): SnapshotRow | undefined {
  return statement(db, AT_OR_BEFORE_SQL).get(at) as SnapshotRow | undefined;
}

export function resolveSnapshot(db: Db, ref: SnapshotRef): SnapshotRow {
  return resolveFrom(
    {
      byId: (id) => snapshotById(db, id),
      latest: (back) => statement(db, LATEST_SQL).get(back) as SnapshotRow | undefined,
      atOrBefore: (at) => snapshotAtOrBefore(db, at),
    },
    ref,
  );
}

/** The lookups a reference takes, on the caller's engine. */
export interface ResolveReads {
  byId(id: number): SnapshotRow | undefined;
  /** The snapshot `back` before the last. */
  latest(back: number): SnapshotRow | undefined;
  atOrBefore(at: number): SnapshotRow | undefined;
}

/** The snapshot a reference names, or the one-line reason there is none (pure). */
export function resolveFrom(reads: ResolveReads, ref: SnapshotRef): SnapshotRow {
  if (ref.kind === 'id') {
    const row = reads.byId(ref.id);
    if (!row) throw new NotFoundError(`no snapshot #${ref.id}`);
    return row;
  }
  if (ref.kind === 'latest') {
    const row = reads.latest(ref.back);
    if (!row) throw new NotFoundError(ref.back ? `fewer than ${ref.back + 1} snapshots recorded` : 'no snapshot recorded yet');
    return row;
  }
  const row = reads.atOrBefore(ref.at);
  if (!row) throw new NotFoundError(`no snapshot at or before ${formatTime(ref.at)}`);
  return row;
}

export function listSnapshots(db: Db, opts: { since?: number; until?: number; limit?: number }): SnapshotRow[] {
  const rows = statement(db, LIST_SQL).all(opts.since ?? 0, opts.until ?? Number.MAX_SAFE_INTEGER, opts.limit ?? -1) as SnapshotRow[];
  return rows.reverse();
}

export function snapshotsBetween(db: Db, fromId: number, toId: number): SnapshotRow[] {
  return statement(db, BETWEEN_SQL).all(fromId, toId) as SnapshotRow[];
}

/**
 * Picks the outcome rows of the snapshots that a condition on snapshot_id names
 * (`WHERE ${EACH_OUTCOME} AND snapshot_id = ?`), by seeks of the table's key
 * (cluster, source, ok, snapshot_id): each source the file names, and each flag.
 */
export const EACH_OUTCOME = `cluster = current_cluster() AND ok IN (0, 1) AND source IN (${sourcesNamedIn('snapshot_sources')})`;

// ORDER BY the name the row is given (the codes are not in the names' order).
const OUTCOMES_SQL = `SELECT ${nameOf('o.source')} AS source, ok, error_kind AS errorKind, error_message AS errorMessage,
  duration_ms AS durationMs, endpoint, stats FROM snapshot_sources o WHERE ${EACH_OUTCOME} AND snapshot_id = ? ORDER BY source`;

export function sourceOutcomes(db: Db, snapshotId: number): SourceOutcome[] {
  return (statement(db, OUTCOMES_SQL).all(snapshotId) as OutcomeRow[]).map(outcomeOf);
}

// A range of each source's and flag's key: no ORDER BY (that would sort every row of the range).
export const OUTCOMES_BETWEEN_SQL = `SELECT snapshot_id AS snapshotId, ${nameOf('o.source')} AS source, ok, error_kind AS errorKind,
  error_message AS errorMessage, duration_ms AS durationMs, endpoint, stats FROM snapshot_sources o
  WHERE ${EACH_OUTCOME} AND snapshot_id >= ? AND snapshot_id <= ?`;

/** Each outcome row of a range, with its snapshot: what OUTCOMES_BETWEEN_SQL reads. */
export type OutcomeRangeRow = OutcomeRow & { snapshotId: number };

/** sourceOutcomes of every snapshot in [fromId, toId] that has any, by snapshot, each in sourceOutcomes' order (pure over the rows). */
export function outcomesBySnapshot(rows: readonly OutcomeRangeRow[]): Map<number, SourceOutcome[]> {
  const out = new Map<number, SourceOutcome[]>();
  for (const { snapshotId, ...r } of rows) {
    const list = out.get(snapshotId);
    if (list) list.push(outcomeOf(r));
    else out.set(snapshotId, [outcomeOf(r)]);
  }
  for (const list of out.values()) list.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  return out;
}

export function sourceOutcomesBetween(db: Db, fromId: number, toId: number): Map<number, SourceOutcome[]> {
  return outcomesBySnapshot(statement(db, OUTCOMES_BETWEEN_SQL).all(fromId, toId) as OutcomeRangeRow[]);
}

/** A snapshot_sources row as read: ok as SQLite's 0/1 or PostgreSQL's boolean, stats as stored (text, or packed on SQLite). */
export type OutcomeRow = Omit<SourceOutcome, 'ok' | 'stats'> & { ok: number | boolean; stats: StoredValue };

export function outcomeOf(r: OutcomeRow): SourceOutcome {
  const stats = unpackValue(r.stats);
  return { ...r, ok: r.ok === 1 || r.ok === true, stats: stats ? (JSON.parse(stats) as Record<string, number>) : {} };
}

/** The latest snapshot at or before `snapshotId` in which `source` was read successfully. */
const LAST_OK_SQL = `SELECT max(snapshot_id) AS id FROM snapshot_sources WHERE cluster = current_cluster() AND source = ${codeOf('?')} AND ok = 1 AND snapshot_id <= ?`;

export function lastOkSnapshot(db: Db, source: SourceName, snapshotId: number): number | null {
  return (statement(db, LAST_OK_SQL).get(source, snapshotId) as { id: number | null }).id;
}

/**
 * The address a source was last read at (or tried), with the snapshot in which
 * ZooKeeper named it: a reading that itself used a last-known address carries
 * that snapshot in its stats, so the origin is not lost over an outage.
 */
export function lastSourceEndpoint(db: Db, source: SourceName): { endpoint: string; snapshotId: number } | null {
  return endpointOf(statement(db, LAST_ENDPOINT_SQL).get({ source }) as EndpointRow | undefined);
}

// The newest row of each flag, each a backward seek along the key; one
// ORDER BY over both flags would read and sort every row of the source.
const newestWithEndpoint = (ok: 0 | 1) => `SELECT * FROM (SELECT snapshot_id AS id, endpoint, stats FROM snapshot_sources
    WHERE cluster = current_cluster() AND source = ${codeOf('@source')} AND ok = ${ok} AND endpoint IS NOT NULL ORDER BY snapshot_id DESC LIMIT 1)`;
const LAST_ENDPOINT_SQL = `${newestWithEndpoint(1)} UNION ALL ${newestWithEndpoint(0)} ORDER BY id DESC LIMIT 1`;

export interface EndpointRow {
  id: number;
  endpoint: string;
  stats: StoredValue;
}

/** The address and the snapshot ZooKeeper named it in, from the last row with an address (pure). */
export function endpointOf(row: EndpointRow | undefined): { endpoint: string; snapshotId: number } | null {
  if (!row) return null;
  const stats = unpackValue(row.stats);
  const from = stats ? (JSON.parse(stats) as Record<string, number>).address_from_snapshot : undefined;
  return { endpoint: row.endpoint, snapshotId: from ?? row.id };
}
