// The PostgreSQL store behind the contract of ../history-store-contract.ts.
import type { HistoryStore } from '../history-store-contract.js';
import type { PgOpenOptions } from './connect.js';
import { closePgDatabase, openPgDatabase, type ClusterChoice } from './open-pg.js';
import { pgRead, pgWrite } from './pg-db.js';
import { pgOpenLeaseSession } from './pg-lease.js';
import { pgListClusters } from './pg-clusters.js';
import { pgImportCluster } from './pg-import.js';
import { pgReadMeta, pgWriteMeta } from './pg-meta.js';
import { pgPruneHistory } from './pg-prune.js';
import { pgReadSourceState } from './pg-read-state.js';
import { pgLastOkSnapshot, pgLastSourceEndpoint, pgListSnapshots, pgResolveSnapshot, pgSnapshotById, pgSnapshotIdRange, pgSourceOutcomes } from './pg-snapshots.js';
import { pgWriteDerivedRecord } from './pg-derived-record.js';
import { pgWriteSnapshot, pgWriteSnapshotDelta } from './pg-write.js';

export async function openPgHistoryStore(url: string, opts: PgOpenOptions & ClusterChoice = {}): Promise<HistoryStore> {
  const db = await openPgDatabase(url, opts);
  return {
    engine: 'postgres',
    writeSnapshot: (obs, watch, lease) => pgWriteSnapshot(db, obs, watch, lease),
    writeSnapshotDelta: (delta) => pgWriteSnapshotDelta(db, delta),
    writeDerivedRecord: (record) => pgWriteDerivedRecord(db, record),
    readSourceState: (source, snapshotId, o) => pgRead(db, (sql) => pgReadSourceState(sql, source, snapshotId, o)),
    listSnapshots: (window = {}) => pgRead(db, (sql) => pgListSnapshots(sql, window)),
    sourceOutcomes: (snapshotId) => pgRead(db, (sql) => pgSourceOutcomes(sql, snapshotId)),
    snapshotById: (id) => pgRead(db, (sql) => pgSnapshotById(sql, id)),
    resolveSnapshot: (ref) => pgRead(db, (sql) => pgResolveSnapshot(sql, ref)),
    lastOkSnapshot: (source, snapshotId) => pgRead(db, (sql) => pgLastOkSnapshot(sql, source, snapshotId)),
    snapshotIdRange: () => pgRead(db, pgSnapshotIdRange),
    lastSourceEndpoint: (source) => pgRead(db, (sql) => pgLastSourceEndpoint(sql, source)),
    listClusters: () => pgRead(db, pgListClusters),
    importCluster: (from) => pgImportCluster(db, from),
    prune: (opts) => pgPruneHistory(db, opts),
    readMeta: (key) => pgRead(db, (sql) => pgReadMeta(sql, key)),
    // Under the write lock as every write: a record kept in meta moves in step with the versions written.
    writeMeta: (key, value) => pgWrite(db, (sql) => pgWriteMeta(sql, key, value)),
    openLeaseSession: (cluster, holder) => pgOpenLeaseSession(db, cluster, holder),
    close: () => closePgDatabase(db),
  };
}
