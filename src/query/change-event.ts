// A change placed in time (pure): what changed, in which source, and the two
// reads of that source it happened between.
import { SOURCES, type SourceName } from '../snapshot/source-name.js';
import { classifyChange, compareChanges, type ChangeItem, type FactDelta } from './classify-change.js';
import type { ExactTime, SnapshotMark, TimeBounds } from '../model/snapshot-mark.js';
import { withExact } from './exact-time.js';

export interface ChangeEvent {
  type: 'change';
  /** after: the source's last successful read before; by: the read that saw the change. */
  at: TimeBounds;
  source: SourceName;
  change: ChangeItem;
}

/** One stored version with the value it replaced. */
export interface VersionRecord extends FactDelta {
  snapshot: SnapshotMark;
  /** The last snapshot before `snapshot` where the source was read successfully. */
  previousOk: SnapshotMark | null;
  /** When a record proves the time of the change (exact-time.ts). */
  exact?: ExactTime | null;
}

export function changeEvents(v: VersionRecord): ChangeEvent[] {
  const at = withExact({ after: v.previousOk, by: v.snapshot }, v.exact ?? null);
  return classifyChange(v).map((change) => ({ type: 'change', at, source: v.source, change }));
}

const SOURCE_ORDER = new Map<string, number>(SOURCES.map((s, i) => [s, i]));

export function compareEvents(
  a: { at: TimeBounds; source: SourceName; change?: ChangeItem },
  b: { at: TimeBounds; source: SourceName; change?: ChangeItem },
): number {
  const t = a.at.by.id - b.at.by.id || SOURCE_ORDER.get(a.source)! - SOURCE_ORDER.get(b.source)!;
  if (t) return t;
  if (a.change && b.change) return compareChanges(a.change, b.change);
  return a.change ? 1 : b.change ? -1 : 0;
}
