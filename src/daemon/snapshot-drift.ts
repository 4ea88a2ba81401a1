// Drift in one snapshot from facts already in memory (pure): which sources
// were read decides what is drift and what only "cannot compare".
import type { ClusterFacts } from '../query/cluster-facts.js';
import { computeDrift, type DriftResult } from '../query/drift.js';
import { knowledgeFromOutcomes } from '../query/source-knowledge.js';
import type { SourceName } from '../snapshot/source-name.js';

export interface SourceRead {
  source: SourceName;
  ok: boolean;
}

export function snapshotDrift(facts: ClusterFacts, sources: readonly SourceRead[]): DriftResult {
  const outcomes = sources.map((s) => ({ source: s.source, ok: s.ok, errorKind: null, errorMessage: null }));
  return computeDrift(facts, knowledgeFromOutcomes(outcomes, () => null));
}
