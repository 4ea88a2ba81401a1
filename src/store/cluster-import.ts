// Copying a cluster's history into this SQLite history (I/O), for `treesnap
// import`: every row as stored, snapshot ids and times unchanged, in one write
// transaction. Key ids are the target's own (keys are numbered per file);
// versions follow their key, their values and stats packed as this file packs them (value-codec.ts),
// watched paths' running counts kept as a collection keeps them (watch-totals.ts). Refused when the handle's cluster already has a
// snapshot: nothing is merged or renumbered.
import { ConflictError } from '../errors.js';
import type { FactKind } from '../snapshot/fact.js';
import { countSnapshots, emptyCounts, type ClusterExport, type ImportCounts } from './cluster-export.js';
import type { Db } from './db.js';
import { packState } from './checkpoint-format.js';
import { codeToStore } from './source-codes.js';
import { statement } from './statement-cache.js';
import { packStats, packValue } from './value-codec.js';
import { withWriteTransaction } from './write-transaction.js';
import { countsTotal, writeWatchTotal } from './watch-totals.js';

const C = 'current_cluster()';
const SQL = {
  any: 'SELECT 1 FROM snapshots WHERE cluster = current_cluster() LIMIT 1',
  snapshot: `INSERT INTO snapshots (cluster, id, started_at, finished_at, failed_sources) VALUES (${C}, ?, ?, ?, ?)`,
  outcome: `INSERT INTO snapshot_sources (cluster, snapshot_id, source, ok, error_kind, error_message, duration_ms, endpoint, stats)
    VALUES (${C}, ?, ?, ?, ?, ?, ?, ?, ?)`,
  key: `INSERT INTO fact_keys (cluster, source, kind, entity) VALUES (${C}, ?, ?, ?)`,
  version: `INSERT INTO fact_versions (cluster, key_id, from_snapshot, value, source) VALUES (${C}, ?, ?, ?, ?)`,
  checkpoint: `INSERT INTO state_checkpoints (cluster, source, snapshot_id, facts, state, summary) VALUES (${C}, ?, ?, ?, ?, ?)`,
  meta: `INSERT INTO meta (cluster, key, value) VALUES (${C}, ?, ?)`,
};

/** A checkpoint written before migration 0002 is plain text: stored deflated, as every checkpoint written now. */
export function packed(stored: Uint8Array | string): Uint8Array {
  return typeof stored === 'string' ? packState(stored) : stored;
}

export function refuseNonEmpty(cluster: string, hasSnapshot: boolean): void {
  if (hasSnapshot) throw new ConflictError(`cluster ${cluster} already has snapshots in the target history; import into a new --cluster (nothing was copied)`);
}

export function importCluster(db: Db, from: ClusterExport): ImportCounts {
  return withWriteTransaction(db, () => {
    refuseNonEmpty(db.cluster, statement(db, SQL.any).get() !== undefined);
    const n = emptyCounts();
    for (const b of from.snapshots()) {
      for (const s of b) statement(db, SQL.snapshot).run(s.id, s.startedAt, s.finishedAt, s.failedSources);
      countSnapshots(n, b);
    }
    for (const b of from.outcomes()) {
      for (const o of b) statement(db, SQL.outcome).run(o.snapshotId, codeToStore(o.source), o.ok, o.errorKind, o.errorMessage, o.durationMs, o.endpoint, o.stats === null ? null : packStats(o.stats));
      n.outcomes += b.length;
    }
    const keyIds = new Map<number, number>();
    const kinds = new Map<number, FactKind>();
    const watchedPaths = new Set<number>();
    for (const b of from.keys()) {
      for (const k of b) {
        keyIds.set(k.id, Number(statement(db, SQL.key).run(k.source, k.kind, k.entity).lastInsertRowid));
        kinds.set(k.id, k.kind as FactKind);
        if (countsTotal(k.source, k.entity)) watchedPaths.add(k.id);
      }
      n.keys += b.length;
    }
    // Versions come in snapshot order, so each watched path's running count is kept as a collection keeps it.
    for (const b of from.versions()) {
      for (const v of b) {
        statement(db, SQL.version).run(keyIds.get(v.keyId), v.fromSnapshot, packValue(kinds.get(v.keyId)!, v.value), codeToStore(v.source));
        if (v.value !== null && watchedPaths.has(v.keyId)) writeWatchTotal(db, keyIds.get(v.keyId)!, v.fromSnapshot, v.value);
      }
      n.versions += b.length;
    }
    for (const b of from.checkpoints()) {
      for (const c of b) statement(db, SQL.checkpoint).run(c.source, c.snapshotId, c.facts, packed(c.state), c.summary === null ? null : packed(c.summary));
      n.checkpoints += b.length;
    }
    for (const b of from.meta()) {
      for (const m of b) statement(db, SQL.meta).run(m.key, m.value);
      n.meta += b.length;
    }
    return n;
  });
}
