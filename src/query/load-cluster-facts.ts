// Reads every source's facts and outcome at one snapshot (I/O): one primary
// key seek per fact, so the cost follows the cluster's size, not the history.
// Registrations and statuses are projected in SQL to the one field the checks
// use: parsing 5,000 full HostConfigs would cost more than reading them.
import type { Endpoint } from '../model/ids.js';
import type { FactKind } from '../snapshot/fact.js';
import { SOURCES, type SourceName } from '../snapshot/source-name.js';
import type { Db } from '../store/open-database.js';
import { lastOkSnapshot, sourceOutcomes } from '../store/snapshot-index.js';
import { applyFactChange, emptyClusterFacts, type ClusterFacts } from './cluster-facts.js';
import { knowledgeFromOutcomes, type Knowledge } from './source-knowledge.js';
import { statement } from './statement-cache.js';

// value: a registration's address as JSON, a status's verdict as plain text, anything else its JSON.
export const STATE_SQL = `
  SELECT k.kind, k.entity, (
    SELECT CASE k.kind
      WHEN 'registration' THEN json_extract(v.value, '$.address')
      WHEN 'status' THEN json_extract(v.value, '$.status')
      ELSE v.value END
    FROM fact_versions v WHERE v.key_id = k.id AND v.from_snapshot <= ? ORDER BY v.from_snapshot DESC LIMIT 1
  )
  FROM fact_keys k WHERE k.source = ?`;

type StateRow = [kind: FactKind, entity: string, value: string | null];

function decode(kind: FactKind, value: string): unknown {
  if (kind === 'registration') return { address: JSON.parse(value) as Endpoint };
  if (kind === 'status') return { status: value };
  return JSON.parse(value);
}

export function loadClusterFacts(db: Db, snapshotId: number, sources: readonly SourceName[] = SOURCES): ClusterFacts {
  const facts = emptyClusterFacts();
  const read = statement(db, STATE_SQL).raw(true);
  for (const source of sources) {
    for (const [kind, entity, value] of read.all(snapshotId, source) as StateRow[]) {
      // null: the latest version is a tombstone (json_extract keeps NULL as NULL)
      if (value !== null) applyFactChange(facts, { source, kind, entity, value: decode(kind, value) });
    }
  }
  return facts;
}

export function loadKnowledge(db: Db, snapshotId: number): Knowledge {
  return knowledgeFromOutcomes(sourceOutcomes(db, snapshotId), (source) => lastOkSnapshot(db, source, snapshotId));
}
