// The rows one snapshot adds: the snapshot itself, one outcome row per source,
// the fact versions (a key row the first time a key is seen), and the state
// checkpoints those versions make due (state-checkpoints.ts). Shared by
// writeSnapshot (which plans the versions from an observation) and
// writeSnapshotDelta (which is given them). Runs inside the caller's write
// transaction; statements are prepared once per connection.
import type Database from 'better-sqlite3';
import type { VersionWrite } from '../snapshot/plan-versions.js';
import type { SourceName, StoredSource } from '../snapshot/source-name.js';
import type { Db } from './db.js';
import type { SourceOutcome } from './snapshot-index.js';
import { splitAgentWrites } from './agent-rows.js';
import { maintainCheckpoints } from './state-checkpoints.js';
import { SOURCE_CODES } from './source-codes.js';
import { packStats, packValue } from './value-codec.js';
import { countsTotal, writeWatchTotal } from './watch-totals.js';

export interface WrittenVersion extends VersionWrite {
  source: SourceName;
}

export interface WriteResult {
  snapshotId: number;
  /** Version rows written per source (0 for an unchanged or failed source). */
  changes: Record<string, number>;
  failedSources: SourceName[];
  /** Every version row this snapshot wrote. */
  written: WrittenVersion[];
}

/** One snapshot_sources row as written: the outcome as read back, with its stats still JSON. */
export type OutcomeRow = Omit<SourceOutcome, 'stats'> & { stats: string };

export interface SnapshotRows {
  startedAt: number;
  finishedAt: number;
  outcomes: readonly OutcomeRow[];
  /** Only for sources whose outcome is ok: a failed source writes nothing, its facts stay as last known. */
  writes: readonly WrittenVersion[];
  /** Versions of the `zk.stat` record (ZooKeeper's Stat of each node read); not counted as changes. */
  records?: readonly VersionWrite[];
  /** Versions of the `zk.watch` record (what the daemon's watcher saw in the interval this snapshot closes). */
  watch?: readonly VersionWrite[];
}

interface Statements {
  snapshot: Database.Statement;
  outcome: Database.Statement;
  findKey: Database.Statement;
  insertKey: Database.Statement;
  version: Database.Statement;
}

const prepared = new WeakMap<Database.Database, Statements>();

function statements(db: Db): Statements {
  const c = db.$client;
  let s = prepared.get(c);
  if (s) return s;
  s = {
    snapshot: c
      .prepare(
        // Numbered per cluster: the next after the cluster's last (as SQLite numbers a rowid), inside the write lock.
        `INSERT INTO snapshots (cluster, id, started_at, finished_at, failed_sources)
         VALUES (current_cluster(), (SELECT coalesce(max(id), 0) + 1 FROM snapshots WHERE cluster = current_cluster()), ?, ?, ?)
         RETURNING id`,
      )
      .pluck(),
    outcome: c.prepare(
      `INSERT INTO snapshot_sources (cluster, snapshot_id, source, ok, error_kind, error_message, duration_ms, endpoint, stats)
       VALUES (current_cluster(), ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    findKey: c.prepare('SELECT id FROM fact_keys WHERE cluster = current_cluster() AND source = ? AND kind = ? AND entity = ?').pluck(),
    insertKey: c.prepare('INSERT INTO fact_keys (cluster, source, kind, entity) VALUES (current_cluster(), ?, ?, ?)'),
    version: c.prepare('INSERT INTO fact_versions (cluster, key_id, from_snapshot, value, source) VALUES (current_cluster(), ?, ?, ?, ?)'),
  };
  prepared.set(c, s);
  return s;
}

export function insertSnapshotRows(db: Db, rows: SnapshotRows): WriteResult {
  const s = statements(db);
  const failedSources = rows.outcomes.filter((o) => !o.ok).map((o) => o.source);
  const snapshotId = s.snapshot.get(rows.startedAt, rows.finishedAt, failedSources.length) as number;
  const changes: Record<string, number> = {};
  for (const o of rows.outcomes) {
    s.outcome.run(snapshotId, SOURCE_CODES[o.source], o.ok ? 1 : 0, o.errorKind, o.errorMessage, Math.round(o.durationMs), o.endpoint, packStats(o.stats));
    changes[o.source] = insertVersions(db, snapshotId, o.source, rows.writes.filter((w) => w.source === o.source));
  }
  if (rows.records?.length) insertVersions(db, snapshotId, 'zk.stat', rows.records);
  if (rows.watch?.length) insertVersions(db, snapshotId, 'zk.watch', rows.watch);
  return { snapshotId, changes, failedSources, written: [...rows.writes] };
}

/**
 * Adds versions of one source's facts at `snapshotId` (a key row the first
 * time a key is seen) and the checkpoint they may make due. Returns how many
 * were asked for (the agents' are stored split, agent-rows.ts: more rows, the same changes).
 */
export function insertVersions(db: Db, snapshotId: number, source: StoredSource, writes: readonly VersionWrite[]): number {
  insertStoredVersions(db, snapshotId, source, source === 'agents' ? splitAgentWrites(db, writes) : writes);
  return writes.length;
}

/** The same for rows already in the stored shape (a salvage copies them as the damaged file held them). */
export function insertStoredVersions(db: Db, snapshotId: number, source: StoredSource, rows: readonly VersionWrite[]): void {
  const s = statements(db);
  const code = SOURCE_CODES[source];
  for (const w of rows) {
    let keyId = s.findKey.get(source, w.kind, w.entity) as number | undefined;
    keyId ??= Number(s.insertKey.run(source, w.kind, w.entity).lastInsertRowid);
    s.version.run(keyId, snapshotId, packValue(w.kind, w.value), code);
    if (w.value !== null && countsTotal(source, w.entity)) writeWatchTotal(db, keyId, snapshotId, w.value);
  }
  if (rows.length) maintainCheckpoints(db, source, snapshotId);
}
