// Reads every source's facts and outcome at one snapshot (I/O) for the
// cross-source checks: each source's state from its checkpoint, with
// registrations summarized to their address (src/snapshot/fact-summary.ts),
// so the cost follows the cluster's size, not the history or its HostConfigs.
import { SOURCES, type SourceName } from '../snapshot/source-name.js';
import { type Db, lastOkSnapshot, readSourceFacts, sourceOutcomes } from '../store/index.js';
import { applyFactChange, emptyClusterFacts, type ClusterFacts } from './cluster-facts.js';
import { knowledgeFromOutcomes, type Knowledge } from './source-knowledge.js';

export function loadClusterFacts(db: Db, snapshotId: number, sources: readonly SourceName[] = SOURCES): ClusterFacts {
  const facts = emptyClusterFacts();
  for (const source of sources) {
    const state = readSourceFacts(db, source, snapshotId, { summaries: true });
    for (const kind of state.kinds()) state.each(kind, (entity, value) => applyFactChange(facts, { source, kind, entity, value: JSON.parse(value) }));
  }
  return facts;
}

export function loadKnowledge(db: Db, snapshotId: number): Knowledge {
  return knowledgeFromOutcomes(sourceOutcomes(db, snapshotId), (source) => lastOkSnapshot(db, source, snapshotId));
}
