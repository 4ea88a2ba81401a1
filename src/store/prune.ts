// Retention: drops history older than a horizon without changing what the
// remaining history says.
//
// The kept history is a suffix of snapshot ids: everything before the oldest
// kept snapshot K goes (K is the first snapshot that started at or after the
// horizon; the newest snapshot is always kept). A fact version is in force
// until the next version of its key, so the version in force at K may begin
// before K: it is carried, its from_snapshot rewritten to K, so reading any
// kept snapshot gives exactly what it gave before. Every other version older
// than K is superseded before the horizon and is deleted, as are tombstones in
// force at K (absent either way) and keys left with no version. Afterwards the
// state checkpoints before K go; one is written at K for every source, from
// the carried versions, so reading near K stays as cheap as anywhere. The
// freed pages are returned to the file system (incremental vacuum) on files
// created with auto_vacuum=INCREMENTAL; on older files they are reused by
// later writes, so the file stops growing either way.
//
// One BEGIN IMMEDIATE transaction: a concurrent writer waits (busy timeout),
// readers (WAL) see the history before or after, never in between.
import type Database from 'better-sqlite3';
import { DatabaseError } from '../errors.js';
import { STORED_SOURCES } from '../snapshot/source-name.js';
import type { Db } from './db.js';
import { sourcesNamedIn } from './named-sources.js';
import { readStoredFacts } from './read-source-state.js';
import { EACH_OUTCOME } from './snapshot-index.js';
import { insertCheckpoint } from './state-checkpoints.js';
import { deleteTotalsBefore } from './watch-totals.js';

export interface PruneOptions {
  /** ms since the epoch: snapshots that started before this are dropped. */
  before: number;
  /** Count what would go, change nothing. */
  dryRun?: boolean;
}

export interface PruneResult {
  dryRun: boolean;
  /** The oldest snapshot that remains; null for an empty history. */
  oldestKept: number | null;
  snapshotsDeleted: number;
  versionsDeleted: number;
  /** Versions in force at the oldest kept snapshot, moved to it so they stay readable there. */
  versionsCarried: number;
  keysDeleted: number;
  /** Bytes the file shrank by (0 for a dry run, or a file without incremental auto-vacuum). */
  bytesFreed: number;
}

export interface CarryRow {
  keyId: number;
  fromSnapshot: number;
  tombstone: number | boolean;
  replacedAtK: number | boolean;
}

// Per key: the last version before K (the one in force at K unless K has its
// own). One descent of the (key_id, from_snapshot) primary key per key.
export const carrySql = (k: string) => `
  SELECT c.key_id AS "keyId", c.f AS "fromSnapshot",
         (SELECT v.value IS NULL FROM fact_versions v WHERE v.key_id = c.key_id AND v.from_snapshot = c.f) AS tombstone,
         EXISTS (SELECT 1 FROM fact_versions v WHERE v.key_id = c.key_id AND v.from_snapshot = ${k}) AS "replacedAtK"
  FROM (SELECT k.id AS key_id,
               (SELECT max(v.from_snapshot) FROM fact_versions v WHERE v.key_id = k.id AND v.from_snapshot < ${k}) AS f
        FROM fact_keys k WHERE k.cluster = current_cluster()) c
  WHERE c.f IS NOT NULL`;

// Keys with no version from K on and nothing carried: gone after the prune.
export const doomedKeysSql = (k: string) => `
  SELECT count(*) FROM fact_keys k
  WHERE k.cluster = current_cluster() AND NOT EXISTS (SELECT 1 FROM fact_versions v WHERE v.key_id = k.id AND v.from_snapshot >= ${k})
    AND NOT EXISTS (SELECT 1 FROM fact_versions v
                    WHERE v.key_id = k.id AND v.value IS NOT NULL
                      AND v.from_snapshot = (SELECT max(w.from_snapshot) FROM fact_versions w WHERE w.key_id = k.id))`;

function oldestKept(c: Database.Database, before: number): number | null {
  const first = c.prepare('SELECT min(id) FROM snapshots WHERE cluster = current_cluster() AND started_at >= ?').pluck().get(before) as number | null;
  if (first !== null) return first;
  return c.prepare('SELECT max(id) FROM snapshots WHERE cluster = current_cluster()').pluck().get() as number | null;
}

function count(c: Database.Database, sql: string, k: number): number {
  return c.prepare(sql).pluck().get({ k }) as number;
}

export interface Plan {
  k: number;
  carried: CarryRow[];
  result: PruneResult;
}

/** What the history holds before K, as either engine counts it. */
export interface PruneCounts {
  snapshots: number;
  oldVersions: number;
  carry: readonly CarryRow[];
  doomedKeys: number;
}

/** The result of keeping history from K on (null: no history), or nothing to do; pure, shared by both engines. */
export function planFrom(k: number | null, dryRun: boolean, counts: () => PruneCounts | null): Plan | PruneResult {
  const nothing = { dryRun, oldestKept: k, snapshotsDeleted: 0, versionsDeleted: 0, versionsCarried: 0, keysDeleted: 0, bytesFreed: 0 };
  if (k === null) return nothing;
  const c = counts();
  if (!c) return nothing;
  const carried = c.carry.filter((r) => !r.tombstone && !r.replacedAtK);
  return {
    k,
    carried,
    result: { ...nothing, snapshotsDeleted: c.snapshots, versionsDeleted: c.oldVersions - carried.length, versionsCarried: carried.length, keysDeleted: c.doomedKeys },
  };
}

/**
 * Picks the versions whose from_snapshot a condition bounds, by a range of the
 * primary key (cluster, source, from_snapshot, key_id) per source the file
 * names: no index is led by from_snapshot (migration 0008).
 */
export const EACH_VERSION_SOURCE = `cluster = current_cluster() AND source IN (${sourcesNamedIn('fact_versions')})`;

function plan(c: Database.Database, before: number, dryRun: boolean): Plan | PruneResult {
  const k = oldestKept(c, before);
  return planFrom(k, dryRun, () => {
    const snapshots = count(c, 'SELECT count(*) FROM snapshots WHERE cluster = current_cluster() AND id < @k', k!);
    const oldVersions = count(c, `SELECT count(*) FROM fact_versions WHERE ${EACH_VERSION_SOURCE} AND from_snapshot < @k`, k!);
    if (snapshots === 0 && oldVersions === 0) return null;
    return { snapshots, oldVersions, carry: c.prepare(carrySql('@k')).all({ k }) as CarryRow[], doomedKeys: count(c, doomedKeysSql('@k'), k!) };
  });
}

function apply(db: Db, p: Plan): void {
  const c = db.$client;
  const move = c.prepare('UPDATE fact_versions SET from_snapshot = ? WHERE key_id = ? AND from_snapshot = ?');
  for (const r of p.carried) move.run(p.k, r.keyId, r.fromSnapshot);
  deleteTotalsBefore(db, p.k);
  c.prepare(`DELETE FROM fact_versions WHERE ${EACH_VERSION_SOURCE} AND from_snapshot < ?`).run(p.k);
  c.prepare('DELETE FROM state_checkpoints WHERE cluster = current_cluster() AND snapshot_id < ?').run(p.k);
  c.prepare(`DELETE FROM snapshot_sources WHERE ${EACH_OUTCOME} AND snapshot_id < ?`).run(p.k);
  c.prepare('DELETE FROM snapshots WHERE cluster = current_cluster() AND id < ?').run(p.k);
  c.prepare('DELETE FROM fact_keys WHERE cluster = current_cluster() AND NOT EXISTS (SELECT 1 FROM fact_versions v WHERE v.key_id = fact_keys.id)').run();
  const hasCheckpoint = c.prepare('SELECT 1 FROM state_checkpoints WHERE cluster = current_cluster() AND source = ? AND snapshot_id = ?').pluck();
  for (const source of STORED_SOURCES) {
    if (hasCheckpoint.get(source, p.k)) continue;
    insertCheckpoint(db, source, p.k, readStoredFacts(db, source, p.k).all());
  }
}

/** Returns freed pages to the file system and truncates the WAL; returns bytes the file shrank by. */
function reclaim(c: Database.Database): number {
  const pageSize = c.pragma('page_size', { simple: true }) as number;
  const before = c.pragma('page_count', { simple: true }) as number;
  c.pragma('incremental_vacuum');
  c.pragma('wal_checkpoint(TRUNCATE)');
  const after = c.pragma('page_count', { simple: true }) as number;
  return Math.max(0, before - after) * pageSize;
}

function describe(e: unknown): string {
  const code = (e as { code?: string }).code;
  const message = e instanceof Error ? e.message : String(e);
  if (code === 'SQLITE_BUSY') return `${message} (another treesnap is writing; try again)`;
  return code ? `${message} (${code})` : message;
}

export function pruneHistory(db: Db, opts: PruneOptions): PruneResult {
  const c = db.$client;
  const dryRun = opts.dryRun ?? false;
  try {
    if (dryRun) {
      const p = c.transaction(() => plan(c, opts.before, true)).deferred();
      return 'result' in p ? p.result : p;
    }
    const p = c.transaction(() => {
      const planned = plan(c, opts.before, false);
      if ('result' in planned) apply(db, planned);
      return planned;
    }).immediate();
    if (!('result' in p)) return p;
    return { ...p.result, bytesFreed: reclaim(c) };
  } catch (e) {
    throw new DatabaseError(`prune: ${describe(e)}`);
  }
}
