// The store's async face, its first slice: one narrow contract every engine
// implements (SQLite here, wrapping the synchronous functions the rest of the
// code still calls; PostgreSQL in postgres/pg-history-store.ts), and one
// shared test suite both pass with the same answers
// (test/integration/store-contract.test.ts). What it covers so far: opening
// and migrating, recording a snapshot (from an observation, or as a delta),
// reading a source's facts at a snapshot, listing snapshots with their
// outcomes, the last address of a source, and the meta records. The rest of the store joins it command by command (README
// "Running it for a team").
import type { Db } from './db.js';
import type { HistoryStore } from './history-store-contract.js';
import type { HistoryReader } from './history-reader.js';
import { importCluster } from './cluster-import.js';
import { listClusters } from './cluster-list.js';
import { closeDatabase, snapshotIdRange } from './history-facts.js';
import { writeDerivedRecord } from './derived-record.js';
import { readMeta, writeMeta } from './meta.js';
import { pruneHistory } from './prune.js';
import { openDatabase } from './open-database.js';
import { isPostgresUrl } from './postgres/url.js';
import { readSourceState } from './read-source-state.js';
import { lastOkSnapshot, lastSourceEndpoint, listSnapshots, resolveSnapshot, snapshotById, sourceOutcomes } from './snapshot-index.js';
import { writeSnapshotDelta } from './write-snapshot-delta.js';
import { writeSnapshot } from './write-snapshot.js';

export type { HistoryStore, SnapshotWindow } from './history-store-contract.js';

/** The SQLite store behind the contract: the synchronous functions, each answer a settled promise. */
export function sqliteHistoryStore(db: Db): HistoryStore {
  const call = <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(e);
    }
  };
  return {
    engine: 'sqlite',
    // One file has one machine's writers, held apart by its lock: there is no collector lease to check.
    writeSnapshot: (obs, watch, lease) => (lease ? Promise.reject(new Error('a SQLite history has no collector lease')) : call(() => writeSnapshot(db, obs, watch))),
    writeSnapshotDelta: (delta) => call(() => writeSnapshotDelta(db, delta)),
    writeDerivedRecord: (record) => call(() => writeDerivedRecord(db, record)),
    readSourceState: (source, snapshotId, opts) => call(() => readSourceState(db, source, snapshotId, opts)),
    listSnapshots: (window = {}) => call(() => listSnapshots(db, window)),
    sourceOutcomes: (snapshotId) => call(() => sourceOutcomes(db, snapshotId)),
    snapshotById: (id) => call(() => snapshotById(db, id)),
    resolveSnapshot: (ref) => call(() => resolveSnapshot(db, ref)),
    lastOkSnapshot: (source, snapshotId) => call(() => lastOkSnapshot(db, source, snapshotId)),
    snapshotIdRange: () => call(() => snapshotIdRange(db)),
    lastSourceEndpoint: (source) => call(() => lastSourceEndpoint(db, source)),
    listClusters: () => call(() => listClusters(db)),
    importCluster: (from) => call(() => importCluster(db, from)),
    prune: (opts) => call(() => pruneHistory(db, opts)),
    readMeta: (key) => call(() => readMeta(db, key)),
    writeMeta: (key, value) => call(() => writeMeta(db, key, value)),
    close: () => call(() => closeDatabase(db)),
  };
}

/**
 * Opens (creating and migrating when needed) the history `db` names: a
 * postgres:// URL opens PostgreSQL, loading its driver only then; anything
 * else is a SQLite file.
 */
export async function openHistoryStore(db: string, opts: { cluster?: string; readonly?: boolean } = {}): Promise<HistoryStore> {
  if (!isPostgresUrl(db)) return sqliteHistoryStore(openDatabase(db, opts));
  const { openPgHistoryStore } = await import('./postgres/pg-history-store.js');
  return openPgHistoryStore(db, { cluster: opts.cluster, create: !opts.readonly });
}

/**
 * The query layer's reads (history-reader.ts) of the history `db` names,
 * read-only: a postgres:// URL opens a synchronous PostgreSQL session (its
 * driver loaded only then, in the session's worker), anything else the SQLite
 * file. A SQLite caller that already checked the path passes its handle instead.
 */
export async function openPostgresReader(url: string, opts: { cluster?: string } = {}): Promise<HistoryReader> {
  const { openPgReader } = await import('./postgres/pg-reader.js');
  return openPgReader(url, opts);
}
