// `drift` at one snapshot (I/O glue): the items recorded for it (src/record/record-drift.ts),
// or, for a snapshot not recorded yet, every source read there and checked.
import type { HistoryReader, SnapshotRow } from '../store/index.js';
import { classifyDrift, driftChecks, driftItems, type CannotCompareItem, type DriftCheck, type DriftItem, type DriftKind } from './drift.js';
import { loadClusterFacts, loadKnowledge } from './load-cluster-facts.js';
import type { SnapshotMark } from '../model/snapshot-mark.js';
import { recordedDrift, recordedThrough } from './recorded-drift.js';
import type { Knowledge } from './source-knowledge.js';

export interface DriftReport {
  snapshot: SnapshotMark;
  sources: Knowledge;
  checks: DriftCheck[];
  total: number;
  counts: Partial<Record<DriftKind, number>>;
  drift: DriftItem[];
  cannotCompare: CannotCompareItem[];
}

export function countKinds(items: readonly { kind: DriftKind }[]): Partial<Record<DriftKind, number>> {
  const counts: Partial<Record<DriftKind, number>> = {};
  for (const i of items) counts[i.kind] = (counts[i.kind] ?? 0) + 1;
  return counts;
}

export function loadDrift(db: HistoryReader, snapshot: SnapshotRow): DriftReport {
  const knowledge = loadKnowledge(db, snapshot.id);
  const items = snapshot.id <= recordedThrough(db) ? recordedDrift(db, snapshot.id) : driftItems(loadClusterFacts(db, snapshot.id));
  const { drift, cannotCompare } = classifyDrift(items, knowledge);
  return {
    snapshot: { id: snapshot.id, startedAt: snapshot.startedAt },
    sources: knowledge,
    checks: driftChecks(knowledge),
    total: drift.length,
    counts: countKinds(drift),
    drift,
    cannotCompare,
  };
}
