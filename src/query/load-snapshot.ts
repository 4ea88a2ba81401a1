// Reads everything one snapshot holds from the store and builds its view.
import { SOURCES, type SourceName } from '../snapshot/source-name.js';
import type { Db } from '../store/open-database.js';
import { readSourceState } from '../store/read-source-state.js';
import { lastOkSnapshot, sourceOutcomes, type SnapshotRow } from '../store/snapshot-index.js';
import { snapshotView, type SnapshotView, type SourceStates } from './snapshot-view.js';

export function loadSourceStates(db: Db, snapshotId: number, sources: readonly SourceName[] = SOURCES): SourceStates {
  const outcomes = sourceOutcomes(db, snapshotId);
  const states = {} as SourceStates;
  for (const source of SOURCES) {
    const outcome = outcomes.find((o) => o.source === source) ?? null;
    const wanted = sources.includes(source);
    states[source] = {
      outcome,
      facts: wanted ? readSourceState(db, source, snapshotId) : [],
      lastOkSnapshot: outcome?.ok ? snapshotId : lastOkSnapshot(db, source, snapshotId),
    };
  }
  return states;
}

export function loadSnapshotView(db: Db, snapshot: SnapshotRow): SnapshotView {
  const states = loadSourceStates(db, snapshot.id);
  return snapshotView(snapshot, sourceOutcomes(db, snapshot.id), states);
}
