// The record stage's entry: one observation into the history. The snapshot is
// written first (a failure there throws: nothing was recorded); then the
// drift record advances from the versions just written, and the drift at the
// head comes back with the summary, so callers (collect, the daemon's ticks
// and metrics, the bench) never re-read or re-check what was just recorded.
import { summarizeCollection, type CollectionSummary } from '../collect/collection-summary.js';
import type { Observation } from '../model/observation.js';
import type { WatchedInterval } from '../model/watch-event.js';
import { watchWrites } from '../snapshot/zk-watch-facts.js';
import { err, ok, type Result } from '../model/result.js';
import type { ClusterFacts } from '../query/cluster-facts.js';
import { classifyDrift, type DriftResult } from '../query/drift.js';
import { knowledgeFromOutcomes } from '../query/source-knowledge.js';
import { SOURCES } from '../snapshot/source-name.js';
import { type Db, type HistoryReader, sqliteReader, type WriteResult, writeSnapshot } from '../store/index.js';
import { advanceRecord, type Head } from './record-drift.js';

/** The latest snapshot's facts and drift (classified by the sources read in it). */
export interface HeadDrift {
  snapshotId: number;
  facts: ClusterFacts;
  drift: DriftResult;
}

export interface RecordedCollection {
  written: WriteResult;
  summary: CollectionSummary;
  /** Why the drift could not be recorded, if so: the snapshot is stored either way, and its drift checked live until a later record. */
  drift: Result<HeadDrift, string>;
}

function outcomesOf(db: HistoryReader, head: Head, written: WriteResult | undefined) {
  if (written?.snapshotId !== head.through) return db.sourceOutcomes(head.through);
  return SOURCES.map((source) => ({ source, ok: !written.failedSources.includes(source), errorKind: null, errorMessage: null }));
}

/** The drift at the head, classified by the sources read in its snapshot (the one just written: no read). */
export function headDrift(db: HistoryReader, head: Head, written?: WriteResult): HeadDrift {
  const knowledge = knowledgeFromOutcomes(outcomesOf(db, head, written), () => null);
  return { snapshotId: head.through, facts: head.facts, drift: classifyDrift(head.raw.items(), knowledge) };
}

export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** `watched`: what the daemon's watcher saw in the interval this snapshot closes (collect has none). */
export function recordCollection(db: Db, obs: Observation, watched?: WatchedInterval): RecordedCollection {
  const written = writeSnapshot(db, obs, watched && watchWrites(watched));
  const summary = summarizeCollection(obs, written);
  try {
    const { head } = advanceRecord(db, { written, wantHead: true });
    return { written, summary, drift: ok(headDrift(sqliteReader(db), head!, written)) };
  } catch (e) {
    return { written, summary, drift: err(message(e)) };
  }
}

/** The drift at the latest snapshot, recording whatever is not yet (null: no snapshot yet). */
export function recordedHead(db: Db): Result<HeadDrift | null, string> {
  try {
    const { head } = advanceRecord(db, { wantHead: true });
    return ok(head && headDrift(sqliteReader(db), head));
  } catch (e) {
    return err(message(e));
  }
}
