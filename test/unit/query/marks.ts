// Snapshot marks for query tests: snapshot #n started n × 5 minutes after T0.
import type { SnapshotMark } from '../../../src/model/snapshot-mark.js';

export const T0 = Date.parse('2026-11-25T03:00:00Z');
export const STEP_MS = 300_000;

export function mark(id: number): SnapshotMark {
  return { id, startedAt: T0 + id * STEP_MS };
}
