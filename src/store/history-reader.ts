// The reads the query layer makes, as one synchronous interface over either
// engine. Each is the SQLite function of the same name (version-reads.ts,
// snapshot-marks.ts, ...) without its handle; on SQLite the reader binds those
// functions to the file (no cost), on PostgreSQL each runs its translated
// statement through a synchronous session (postgres/pg-reader.ts).
//
// Why synchronous, when the store's contract (history-store-contract.ts) is
// async: the query loaders pass lazy reads into the pure core (a snapshot's
// mark, a node's Stat, looked up only when an answer needs it). Made async,
// every pure function that takes such a read would become async too; kept
// synchronous, the core stays pure and SQLite stays as fast as it was.
import type { Db } from './db.js';
import { sourceVersionsAsRead } from './agent-version-rows.js';
import { changedKeys, changedKeysOfSource } from './changed-keys.js';
import { listClusters } from './cluster-list.js';
import { closeDatabase, lastCompleteFinishedAt, snapshotIdRange } from './history-facts.js';
import { readMeta } from './meta.js';
import { placedInLeaves } from './placement-reads.js';
import { presenceStarts } from './presence-starts.js';
import { readSourceFacts, readSourceState } from './read-source-state.js';
import {
  lastOkSnapshot,
  lastSourceEndpoint,
  listSnapshots,
  resolveSnapshot,
  snapshotAtOrBefore,
  snapshotById,
  snapshotsBetween,
  sourceOutcomes,
  sourceOutcomesBetween,
} from './snapshot-index.js';
import { marks, windowSnapshots } from './snapshot-marks.js';
import * as V from './version-reads.js';
import { watchedChangesOfPath, watchedRemovalsOfChildren, watchRecordVersions } from './watch-record-reads.js';

/** A SQLite read without its handle. */
type Bound<F> = F extends (db: Db, ...args: infer A) => infer R ? (...args: A) => R : never;

const READS = {
  readSourceFacts,
  readSourceState,
  versionsInRange: V.versionsInRange,
  versionsWithBeforeInRange: V.versionsWithBeforeInRange,
  versionsWithBeforeAt: V.versionsWithBeforeAt,
  keysOfEntity: V.keysOfEntity,
  keyOf: V.keyOf,
  keysOfKind: V.keysOfKind,
  keyVersions: V.keyVersions,
  versionsOfEntities: V.versionsOfEntities,
  holdingSince: V.holdingSince,
  versionsOfKeysInRange: V.versionsOfKeysInRange,
  versionsOfKeysInSpans: V.versionsOfKeysInSpans,
  versionsAt: V.versionsAt,
  versionsOverSpans: V.versionsOverSpans,
  failuresInRange: V.failuresInRange,
  firstOkAfter: V.firstOkAfter,
  placedInLeaves,
  presenceStarts,
  watchRecordVersions,
  watchedChangesOfPath,
  watchedRemovalsOfChildren,
  changedKeys,
  changedKeysOfSource,
  marks,
  windowSnapshots,
  snapshotById,
  snapshotAtOrBefore,
  resolveSnapshot,
  listSnapshots,
  snapshotsBetween,
  sourceOutcomes,
  sourceOutcomesBetween,
  lastOkSnapshot,
  lastSourceEndpoint,
  snapshotIdRange,
  lastCompleteFinishedAt,
  readMeta,
  listClusters,
};

export type HistoryReader = { readonly [K in keyof typeof READS]: Bound<(typeof READS)[K]> } & {
  /** The agents' versions as readers see them (one role per agent), keeping the source's type. */
  sourceVersionsAsRead: <S extends Parameters<typeof sourceVersionsAsRead>[1]>(source: S, after: number, upTo: number) => ReturnType<typeof sourceVersionsAsRead<S>>;
  readonly engine: 'sqlite' | 'postgres';
  close(): Promise<void>;
};

/** The reads of a SQLite history, bound to its handle; close() closes the handle. */
export function sqliteReader(db: Db): HistoryReader {
  // A handle from openDatabase already is its reader: binding its reads again would only repeat the work.
  if (isSqliteReader(db)) return db;
  const bound: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(READS)) bound[name] = (...args: unknown[]) => (fn as (db: Db, ...a: unknown[]) => unknown)(db, ...args);
  return {
    ...(bound as { [K in keyof typeof READS]: Bound<(typeof READS)[K]> }),
    sourceVersionsAsRead: (source, after, upTo) => sourceVersionsAsRead(db, source, after, upTo),
    engine: 'sqlite',
    close: async () => closeDatabase(db),
  };
}

function isSqliteReader(db: Db): db is Db & HistoryReader {
  return (db as Partial<HistoryReader>).engine === 'sqlite';
}

/** The handle itself, its reads bound to it: what openDatabase returns, so a SQLite handle is a reader too. */
export function withReads(db: Db): Db & HistoryReader {
  return Object.assign(db, sqliteReader(db));
}
