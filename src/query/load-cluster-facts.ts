// Reads every source's facts and outcome at one snapshot (I/O) for the
// cross-source checks: each source's state from its checkpoint, with
// registrations summarized to their address (src/snapshot/fact-summary.ts),
// so the cost follows the cluster's size, not the history or its HostConfigs.
import { SOURCES, type SourceName } from '../snapshot/source-name.js';
import { type HistoryReader } from '../store/index.js';
import { applyFactChange, emptyClusterFacts, type ClusterFacts } from './cluster-facts.js';
import { knowledgeFromOutcomes, type Knowledge } from './source-knowledge.js';

export function loadClusterFacts(db: HistoryReader, snapshotId: number, sources: readonly SourceName[] = SOURCES): ClusterFacts {
  const facts = emptyClusterFacts();
  for (const source of sources) {
    const state = db.readSourceFacts(source, snapshotId, { summaries: true });
    for (const kind of state.kinds()) state.each(kind, (entity, value) => applyFactChange(facts, { source, kind, entity, value: JSON.parse(value) }));
  }
  return facts;
}

export function loadKnowledge(db: HistoryReader, snapshotId: number): Knowledge {
  return knowledgeFromOutcomes(db.sourceOutcomes(snapshotId), (source) => db.lastOkSnapshot(source, snapshotId));
}
