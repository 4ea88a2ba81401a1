// Reading the drift record (I/O): the drift items src/record/ stores as the
// derived source `drift` after each snapshot, and how far that record
// reaches. Readers use the record up to recordedThrough() and check any
// snapshot beyond it live.
import { type HistoryReader } from '../store/index.js';
import { driftSources, type DriftItem, type DriftKind } from './drift.js';

/** Bump when the drift checks change what they find: every record is then rebuilt. */
export const DRIFT_RECORD_VERSION = 1;

/** The `meta` key of the record's mark. */
export const RECORD_MARK_KEY = 'drift.recorded';

export interface RecordMark {
  version: number;
  /** Every snapshot up to this one has its drift recorded. */
  through: number;
}

export function readRecordMark(db: HistoryReader): RecordMark | null {
  const text = db.readMeta(RECORD_MARK_KEY);
  return text === undefined ? null : (JSON.parse(text) as RecordMark);
}

/** The last snapshot whose drift is recorded by the current checks (0: none). */
export function recordedThrough(db: HistoryReader): number {
  const mark = readRecordMark(db);
  return mark?.version === DRIFT_RECORD_VERSION ? mark.through : 0;
}

/** A recorded item, in the shape the checks produce it; its ids from its key unless stored (record-drift.ts). */
export function parseRecorded(key: string, value: string): DriftItem {
  const at = key.indexOf(':');
  const kind = key.slice(0, at) as DriftKind;
  const stored = JSON.parse(value) as Pick<DriftItem, 'sides'> & { ids?: string[] };
  const ids = stored.ids ?? key.slice(at + 1).split(',');
  return { kind, ids, sources: driftSources(kind, stored.sides), sides: stored.sides };
}

/** The recorded items at a snapshot, which must be at most recordedThrough(db). */
export function recordedDrift(db: HistoryReader, snapshotId: number): DriftItem[] {
  return db.readSourceState('drift', snapshotId).map((f) => parseRecorded(f.entity, f.value));
}
