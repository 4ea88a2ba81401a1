// The query results a report is built from: one call of each query over the
// same window (see load-report-input.ts), nothing else.
import type { SnapshotSummary } from '../query/list-snapshots.js';
import type { DiffReport } from '../query/load-diff.js';
import type { DriftHistoryReport } from '../query/load-drift-history.js';
import type { MissingReport } from '../query/load-missing.js';
import type { TimelineReport } from '../query/load-timeline.js';
import type { SnapshotMark } from '../model/snapshot-mark.js';
import type { SnapshotOverview } from '../query/snapshot-view.js';
import type { BlastRadius } from '../query/blast-radius.js';

export interface ReportInput {
  window: { first: SnapshotMark; last: SnapshotMark };
  /** Every collection in the window, oldest first, with its per-source outcome. */
  collections: SnapshotSummary[];
  timeline: TimelineReport;
  missing: MissingReport;
  drift: DriftHistoryReport;
  /** The hosts the window's drift episodes affect, per leaf and zone as placed at the window's end. */
  driftBlastRadius: BlastRadius;
  /** The window's first and last snapshot as recorded. */
  start: SnapshotOverview;
  end: SnapshotOverview;
  /** From the first to the last snapshot, every source. */
  diff: DiffReport;
}
