// The store's face: the one entry point to the history for every other
// folder (only src/store/ speaks SQL). What it offers: opening, the writes,
// and the reads the query layer asks for in bulk.

export { changedKeys } from './changed-keys.js';
export { clearDerivedSource, closeDatabase, databaseSizeBytes, lastCompleteFinishedAt, snapshotIdRange } from './history-facts.js';
export { insertVersions } from './insert-snapshot-rows.js';
export { openDatabase, type Db, type SqliteHistory } from './open-database.js';
export { DEFAULT_CLUSTER } from './cluster-binding.js';
export { listClusters, type ClusterRow } from './cluster-list.js';
export { exportCluster, type ImportCounts } from './cluster-export.js';
export { isPostgresUrl, serverName } from './postgres/url.js';
export { LeaseLostError, type LeaseClaim, type LeaseSession, type LeaseView } from './collector-lease-contract.js';
export { openHistoryStore, openPostgresReader, sqliteHistoryStore, type HistoryStore, type SnapshotWindow } from './history-store.js';
export { sqliteReader, type HistoryReader } from './history-reader.js';
export type { DerivedRecord } from './derived-record.js';
export { pruneHistory, type PruneResult } from './prune.js';
export { readSourceFacts, readSourceState } from './read-source-state.js';
export { lastOkSnapshot, lastSourceEndpoint, listSnapshots, resolveSnapshot, snapshotById, sourceOutcomes, type SnapshotRow, type SourceOutcome } from './snapshot-index.js';
export { readMeta, writeMeta } from './meta.js';
export { ID_ONLY_MARKS, marks, windowSnapshots, type Marks } from './snapshot-marks.js';
export { SourceState } from './source-state.js';
export { sourceVersions } from './state-checkpoints.js';
export { sourceVersionsAsRead } from './agent-version-rows.js';
export { failuresInRange, firstOkAfter, keyOf, keyVersions, keysOfEntity, keysOfKind, versionsAt, versionsInRange, versionsOfEntities, versionsOfKeysInRange, versionsOfKeysInSpans, versionsOverSpans, versionsWithBeforeAt, versionsWithBeforeInRange, type EntitySpan, type KeyRow, type VersionRow } from './version-reads.js';
export { placedInLeaves, type LeafPlacement } from './placement-reads.js';
export { namesToSearch, watchedChangesOfPath, watchedRemovalsOfChildren, watchRecordVersions, type WatchRecordPart } from './watch-record-reads.js';
export { totalAfter, watchTotalRows, type WatchTotalRow } from './watch-totals.js';
export { writeSnapshot, type WriteResult } from './write-snapshot.js';
export { withWriteTransaction } from './write-transaction.js';
export { copyHistory } from './backup.js';
export { decodeState, type KindGroups } from './checkpoint-format.js';
export type { WrittenVersion } from './insert-snapshot-rows.js';
export { damagedFileMessage, fileProblems, isCorruption, sqliteProblems } from './integrity.js';
export { insertSnapshotAs, storedOutcomes } from './salvage.js';
export type { FactVersion } from './source-state.js';
export type { SourceVersion } from './state-checkpoints.js';
export { checkpointIds, storedCheckpoint, headSnapshot, outcomesIn, snapshotsIn } from './verify-reads.js';
