// The contract of the store's async face (history-store.ts): what every engine
// answers, with the same results for the same writes.
import type { LeaseClaim, LeaseSession } from './collector-lease-contract.js';
import type { Observation } from '../model/observation.js';
import type { FactKind } from '../snapshot/fact.js';
import type { VersionWrite } from '../snapshot/plan-versions.js';
import type { SourceName, StoredSource } from '../snapshot/source-name.js';
import type { StoredFact } from './checkpoint-format.js';
import type { DerivedRecord } from './derived-record.js';
import type { PruneOptions, PruneResult } from './prune.js';
import type { ClusterExport, ImportCounts } from './cluster-export.js';
import type { ClusterRow } from './cluster-list.js';
import type { WriteResult } from './insert-snapshot-rows.js';
import type { StateOptions } from './read-source-state.js';
import type { SnapshotRow, SourceOutcome } from './snapshot-index.js';
import type { SnapshotDelta } from './write-snapshot-delta.js';
import type { SnapshotRef } from '../util/snapshot-ref.js';

export interface SnapshotWindow {
  since?: number;
  until?: number;
  limit?: number;
}

export interface HistoryStore {
  readonly engine: 'sqlite' | 'postgres';
  /**
   * One collection, planned against the recorded head inside the write (write-snapshot.ts). With `lease`
   * (PostgreSQL), the claim is checked in the same transaction: LeaseLostError, nothing written, when it does not hold.
   */
  writeSnapshot(obs: Observation, watch?: readonly VersionWrite[], lease?: LeaseClaim): Promise<WriteResult>;
  /** One snapshot from its changed versions (write-snapshot-delta.ts); a malformed delta throws RangeError, nothing written. */
  writeSnapshotDelta(delta: SnapshotDelta): Promise<WriteResult>;
  /** A derived source's versions and its mark in `meta`, only if the mark still stands (derived-record.ts): false, nothing written, when it moved. */
  writeDerivedRecord(record: DerivedRecord): Promise<boolean>;
  /** The facts of `source` holding at `snapshotId` (read-source-state.ts). */
  readSourceState(source: StoredSource, snapshotId: number, opts?: StateOptions & { kind?: FactKind }): Promise<StoredFact[]>;
  /** Snapshots in a window of start times, oldest first, the newest `limit` (snapshot-index.ts). */
  listSnapshots(window?: SnapshotWindow): Promise<SnapshotRow[]>;
  /** What each source said in one snapshot, in source order. */
  sourceOutcomes(snapshotId: number): Promise<SourceOutcome[]>;
  snapshotById(id: number): Promise<SnapshotRow | undefined>;
  /** The snapshot a reference names (an id, latest~N, the one in force at a time); NotFoundError (exit 7) when none. */
  resolveSnapshot(ref: SnapshotRef): Promise<SnapshotRow>;
  /** The last snapshot at or before `snapshotId` in which `source` was read; null if never. */
  lastOkSnapshot(source: SourceName, snapshotId: number): Promise<number | null>;
  /** The first and last snapshot ids; 0 and 0 in an empty history. */
  snapshotIdRange(): Promise<{ first: number; last: number }>;
  /** Where a source was last read (the collector's last-known leaders, src/collect/last-known-leaders.ts). */
  lastSourceEndpoint(source: SourceName): Promise<{ endpoint: string; snapshotId: number } | null>;
  /** Every cluster of the history with a snapshot, by name, with its last collection (not only the handle's cluster). */
  listClusters(): Promise<ClusterRow[]>;
  /** Copies a cluster read from a SQLite history into the handle's cluster, which must have no snapshot (ConflictError, exit 8). */
  importCluster(from: ClusterExport): Promise<ImportCounts>;
  /** Drops history older than a horizon, what remains reading exactly as before (prune.ts); counts only with dryRun. */
  prune(opts: PruneOptions): Promise<PruneResult>;
  readMeta(key: string): Promise<string | undefined>;
  writeMeta(key: string, value: string): Promise<void>;
  /** PostgreSQL only: a session that holds a cluster's collector lease (collector-lease-contract.ts); absent on SQLite. */
  openLeaseSession?(cluster: string, holder: string): Promise<LeaseSession>;
  close(): Promise<void>;
}
