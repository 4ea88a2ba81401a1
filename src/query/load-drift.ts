// `drift` at one snapshot (I/O glue): read every source there, then check.
import type { Db } from '../store/open-database.js';
import type { SnapshotRow } from '../store/snapshot-index.js';
import { computeDrift, driftChecks, type CannotCompareItem, type DriftCheck, type DriftItem, type DriftKind } from './drift.js';
import { loadClusterFacts, loadKnowledge } from './load-cluster-facts.js';
import type { SnapshotMark } from './snapshot-mark.js';
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

export function loadDrift(db: Db, snapshot: SnapshotRow): DriftReport {
  const knowledge = loadKnowledge(db, snapshot.id);
  const { drift, cannotCompare } = computeDrift(loadClusterFacts(db, snapshot.id), knowledge);
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
