// Reads one snapshot from the store and builds its view: the trees alone
// (registrations summarized: what `show` prints and the report draws), or
// everything it holds (`show --json`).
import { SOURCES } from '../snapshot/source-name.js';
import type { Db } from '../store/open-database.js';
import { readSourceState } from '../store/read-source-state.js';
import { lastOkSnapshot, sourceOutcomes, type SnapshotRow, type SourceOutcome } from '../store/snapshot-index.js';
import { snapshotOverview, snapshotView, type SnapshotOverview, type SnapshotView, type SourceStates } from './snapshot-view.js';

function loadSourceStates(db: Db, snapshotId: number, outcomes: SourceOutcome[], summaries: boolean): SourceStates {
  const states = {} as SourceStates;
  for (const source of SOURCES) {
    const outcome = outcomes.find((o) => o.source === source) ?? null;
    states[source] = {
      outcome,
      facts: readSourceState(db, source, snapshotId, { summaries }),
      lastOkSnapshot: outcome?.ok ? snapshotId : lastOkSnapshot(db, source, snapshotId),
    };
  }
  return states;
}

export function loadSnapshotOverview(db: Db, snapshot: SnapshotRow): SnapshotOverview {
  const outcomes = sourceOutcomes(db, snapshot.id);
  return snapshotOverview(snapshot, outcomes, loadSourceStates(db, snapshot.id, outcomes, true));
}

export function loadSnapshotView(db: Db, snapshot: SnapshotRow): SnapshotView {
  const outcomes = sourceOutcomes(db, snapshot.id);
  return snapshotView(snapshot, outcomes, loadSourceStates(db, snapshot.id, outcomes, false));
}
