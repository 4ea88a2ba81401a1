// Reads one snapshot from the store and builds its view: the overview
// (registrations and statuses summarized, parts nobody will print left
// unread: what `show` prints and the report draws), or everything it holds
// (`show --json`).
import { SOURCES, type SourceName } from '../snapshot/source-name.js';
import { type Db, type HistoryStore, lastOkSnapshot, readSourceFacts, type SnapshotRow, type SourceOutcome, sourceOutcomes, SourceState } from '../store/index.js';
import {
  ALL_PARTS,
  snapshotOverview,
  snapshotView,
  type OverviewParts,
  type SnapshotOverview,
  type SnapshotView,
  type SourcesInSnapshot,
} from './snapshot-view.js';

function loadSources(db: Db, snapshotId: number, outcomes: SourceOutcome[], summaries: boolean, read: (s: SourceName) => boolean): SourcesInSnapshot {
  const states = {} as SourcesInSnapshot;
  for (const source of SOURCES) {
    const outcome = outcomes.find((o) => o.source === source) ?? null;
    states[source] = {
      outcome,
      facts: read(source) ? readSourceFacts(db, source, snapshotId, { summaries }) : new SourceState(),
      lastOkSnapshot: outcome?.ok ? snapshotId : lastOkSnapshot(db, source, snapshotId),
    };
  }
  return states;
}

export function loadSnapshotOverview(db: Db, snapshot: SnapshotRow, parts: OverviewParts = ALL_PARTS): SnapshotOverview {
  const outcomes = sourceOutcomes(db, snapshot.id);
  const read = (s: SourceName) => (s === 'chairman' ? parts.chairman : s === 'root' ? parts.root : true);
  return snapshotOverview(snapshot, outcomes, loadSources(db, snapshot.id, outcomes, true, read), parts);
}

export function loadSnapshotView(db: Db, snapshot: SnapshotRow): SnapshotView {
  const outcomes = sourceOutcomes(db, snapshot.id);
  return snapshotView(snapshot, outcomes, loadSources(db, snapshot.id, outcomes, false, () => true));
}

// The same through the store's async contract (any engine: `treesnap show`).
// A source's facts come as a list, laid back into a SourceState in the order
// they were listed: the order every reader of it then sees is the one above.
async function loadSourcesIn(store: HistoryStore, snapshotId: number, outcomes: SourceOutcome[], summaries: boolean, read: (s: SourceName) => boolean): Promise<SourcesInSnapshot> {
  const states = {} as SourcesInSnapshot;
  for (const source of SOURCES) {
    const outcome = outcomes.find((o) => o.source === source) ?? null;
    states[source] = {
      outcome,
      facts: read(source) ? new SourceState(undefined, await store.readSourceState(source, snapshotId, { summaries })) : new SourceState(),
      lastOkSnapshot: outcome?.ok ? snapshotId : await store.lastOkSnapshot(source, snapshotId),
    };
  }
  return states;
}

export async function loadSnapshotOverviewIn(store: HistoryStore, snapshot: SnapshotRow, parts: OverviewParts = ALL_PARTS): Promise<SnapshotOverview> {
  const outcomes = await store.sourceOutcomes(snapshot.id);
  const read = (s: SourceName) => (s === 'chairman' ? parts.chairman : s === 'root' ? parts.root : true);
  return snapshotOverview(snapshot, outcomes, await loadSourcesIn(store, snapshot.id, outcomes, true, read), parts);
}

export async function loadSnapshotViewIn(store: HistoryStore, snapshot: SnapshotRow): Promise<SnapshotView> {
  const outcomes = await store.sourceOutcomes(snapshot.id);
  return snapshotView(snapshot, outcomes, await loadSourcesIn(store, snapshot.id, outcomes, false, () => true));
}
