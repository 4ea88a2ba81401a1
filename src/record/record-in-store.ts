// The record stage through the store's async contract, for an engine the
// synchronous record (record-collection.ts) does not serve yet: PostgreSQL.
// The snapshot is written (a failure throws: nothing was recorded); its drift
// is not recorded yet on this path. That is the state the drift record
// already allows: the record's mark in `meta` stays where it was (never
// written here), so a snapshot past it is checked live by readers and
// recorded by a later writer that records drift (record-drift.ts).
import { summarizeCollection, type CollectionSummary } from '../collect/collection-summary.js';
import type { Observation } from '../model/observation.js';
import type { WatchedInterval } from '../model/watch-event.js';
import { watchWrites } from '../snapshot/zk-watch-facts.js';
import type { HistoryStore, LeaseClaim, WriteResult } from '../store/index.js';

export interface StoredCollection {
  written: WriteResult;
  summary: CollectionSummary;
}

/**
 * `watched`: what the daemon's watcher saw in the interval this snapshot closes; `lease`: the daemon's
 * claim on the collector lease, checked in the write (a LeaseLostError means nothing was written).
 */
export async function recordSnapshotIn(store: HistoryStore, obs: Observation, opts: { watched?: WatchedInterval; lease?: LeaseClaim } = {}): Promise<StoredCollection> {
  const written = await store.writeSnapshot(obs, opts.watched && watchWrites(opts.watched), opts.lease);
  return { written, summary: summarizeCollection(obs, written) };
}
