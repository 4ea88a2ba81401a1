// The report's data (I/O glue): each query of the query layer run once over
// the same window. Nothing is computed here; build-report.ts does that.
import { NotFoundError } from '../errors.js';
import { listSnapshotsWithOutcomes } from '../query/list-snapshots.js';
import { loadDiff } from '../query/load-diff.js';
import { loadDriftHistory } from '../query/load-drift-history.js';
import { loadMissing } from '../query/load-missing.js';
import { driftAffected } from '../query/blast-radius.js';
import { loadBlastRadius } from '../query/load-blast-radius.js';
import { loadSnapshotOverview } from '../query/load-snapshot.js';
import { loadTimeline } from '../query/load-timeline.js';
import { type HistoryReader, type SnapshotRow } from '../store/index.js';
import { SOURCES } from '../snapshot/source-name.js';
import type { ReportInput } from './report-input.js';

function row(db: HistoryReader, id: number): SnapshotRow {
  const r = db.snapshotById(id);
  if (!r) throw new NotFoundError(`no snapshot #${id}`);
  return r;
}

/** Throws NotFoundError when no snapshot lies in the window. */
export function loadReportInput(db: HistoryReader, window: { since?: number; until?: number }): ReportInput {
  const { first, last } = db.windowSnapshots(window);
  const startRow = row(db, first.id);
  const endRow = row(db, last.id);
  const drift = loadDriftHistory(db, window);
  return {
    window: { first, last },
    collections: listSnapshotsWithOutcomes(db, window),
    timeline: loadTimeline(db, window),
    missing: loadMissing(db, window),
    drift,
    driftBlastRadius: loadBlastRadius(db, last.id, driftAffected(drift.episodes)),
    start: loadSnapshotOverview(db, startRow),
    end: loadSnapshotOverview(db, endRow),
    diff: loadDiff(db, startRow, endRow, SOURCES),
  };
}
