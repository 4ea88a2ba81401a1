// The record stage through the store's async contract (PostgreSQL): the
// snapshot is written (a failure throws: nothing was recorded), then its drift
// is recorded as on SQLite (record-drift.ts advanceRecordIn: read through the
// history's reader, written through the store) and the drift at the head comes
// back. A drift record that fails leaves the snapshot recorded and its drift
// to be checked live by readers until a later collection records it.
import { summarizeCollection } from '../collect/collection-summary.js';
import type { Observation } from '../model/observation.js';
import type { WatchedInterval } from '../model/watch-event.js';
import { err, ok, type Result } from '../model/result.js';
import { watchWrites } from '../snapshot/zk-watch-facts.js';
import type { HistoryReader, HistoryStore, LeaseClaim } from '../store/index.js';
import { headDrift, message, type HeadDrift, type RecordedCollection } from './record-collection.js';
import { advanceRecordIn } from './record-drift.js';

const MOVED = 'another writer recorded the drift of these snapshots first';

/**
 * `watched`: what the daemon's watcher saw in the interval this snapshot closes; `lease`: the daemon's
 * claim on the collector lease, checked in the write (a LeaseLostError means nothing was written).
 */
export async function recordCollectionIn(
  store: HistoryStore,
  db: HistoryReader,
  obs: Observation,
  opts: { watched?: WatchedInterval; lease?: LeaseClaim } = {},
): Promise<RecordedCollection> {
  const written = await store.writeSnapshot(obs, opts.watched && watchWrites(opts.watched), opts.lease);
  const summary = summarizeCollection(obs, written);
  try {
    const { head } = await advanceRecordIn(store, db, { written, wantHead: true });
    return { written, summary, drift: head ? ok(headDrift(db, head, written)) : err(MOVED) };
  } catch (e) {
    return { written, summary, drift: err(message(e)) };
  }
}

/** The drift at the latest snapshot, recording whatever is not yet (null: no snapshot yet). */
export async function recordedHeadIn(store: HistoryStore, db: HistoryReader): Promise<Result<HeadDrift | null, string>> {
  try {
    if (db.snapshotIdRange().last === 0) return ok(null);
    const { head } = await advanceRecordIn(store, db, { wantHead: true });
    return head ? ok(headDrift(db, head)) : err(MOVED);
  } catch (e) {
    return err(message(e));
  }
}
