// Reads one snapshot from the store and builds its view: the overview
// (registrations and statuses summarized, parts nobody will print left
// unread: what `show` prints and the report draws), or everything it holds
// (`show --json`).
import { SOURCES, type SourceName } from '../snapshot/source-name.js';
import { type HistoryReader, type SnapshotRow, type SourceOutcome, SourceState } from '../store/index.js';
import {
  ALL_PARTS,
  snapshotOverview,
  snapshotView,
  type OverviewParts,
  type SnapshotOverview,
  type SnapshotView,
  type SourcesInSnapshot,
} from './snapshot-view.js';

function loadSources(db: HistoryReader, snapshotId: number, outcomes: SourceOutcome[], summaries: boolean, read: (s: SourceName) => boolean): SourcesInSnapshot {
  const states = {} as SourcesInSnapshot;
  for (const source of SOURCES) {
    const outcome = outcomes.find((o) => o.source === source) ?? null;
    states[source] = {
      outcome,
      facts: read(source) ? db.readSourceFacts(source, snapshotId, { summaries }) : new SourceState(),
      lastOkSnapshot: outcome?.ok ? snapshotId : db.lastOkSnapshot(source, snapshotId),
    };
  }
  return states;
}

export function loadSnapshotOverview(db: HistoryReader, snapshot: SnapshotRow, parts: OverviewParts = ALL_PARTS): SnapshotOverview {
  const outcomes = db.sourceOutcomes(snapshot.id);
  const read = (s: SourceName) => (s === 'chairman' ? parts.chairman : s === 'root' ? parts.root : true);
  return snapshotOverview(snapshot, outcomes, loadSources(db, snapshot.id, outcomes, true, read), parts);
}

export function loadSnapshotView(db: HistoryReader, snapshot: SnapshotRow): SnapshotView {
  const outcomes = db.sourceOutcomes(snapshot.id);
  return snapshotView(snapshot, outcomes, loadSources(db, snapshot.id, outcomes, false, () => true));
}
