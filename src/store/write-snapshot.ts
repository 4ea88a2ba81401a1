// Records one collection as one transaction: the snapshot row, one outcome row
// per source, and only the fact versions that changed. A failed source writes
// its outcome and nothing else, so its facts stay as last known.
import type { Observation, SourceReading } from '../model/observation.js';
import { formatEndpoint } from '../model/ids.js';
import type { LeafValue } from '../snapshot/fact.js';
import { planVersions, type VersionWrite } from '../snapshot/plan-versions.js';
import type { SourceFacts } from '../snapshot/source-facts.js';
import { sourceFacts } from '../snapshot/source-registry.js';
import { sourceStats } from '../snapshot/source-stats.js';
import { statFacts, statJson } from '../snapshot/zk-stat-facts.js';
import { watchRecordVersions } from '../snapshot/zk-watch-facts.js';
import type { ZkStat } from '../model/zk-stat.js';
import { insertSnapshotRows, type OutcomeRow, type WriteResult, type WrittenVersion } from './insert-snapshot-rows.js';
import type { Db } from './db.js';
import { readSourceState, readSourceStateMap } from './read-source-state.js';
import { withWriteTransaction } from './write-transaction.js';

export type { WriteResult, WrittenVersion } from './insert-snapshot-rows.js';

const LATEST = Number.MAX_SAFE_INTEGER;

function previousZkLeaves(db: Db): Map<string, LeafValue> {
  const leaves = new Map<string, LeafValue>();
  for (const f of readSourceState(db, 'zk.roles', LATEST, { kind: 'leaf' })) leaves.set(f.entity, JSON.parse(f.value) as LeafValue);
  return leaves;
}

/** One source's outcome row as written (shared with the PostgreSQL store, postgres/pg-write.ts). */
export function outcomeRow(sf: SourceFacts): OutcomeRow {
  const reading: SourceReading<unknown> = sf.reading;
  return {
    source: sf.source,
    ok: sf.ok,
    errorKind: sf.ok ? null : sf.error.kind,
    errorMessage: sf.ok ? null : sf.error.message,
    durationMs: reading.durationMs,
    endpoint: reading.endpoint ? formatEndpoint(reading.endpoint) : null,
    stats: JSON.stringify(sourceStats(sf)),
  };
}

/** This snapshot's `zk.watch` versions: its interval's, and the end of the previous interval's (watchRecordVersions). */
function watchVersions(db: Db, watch: readonly VersionWrite[] = []): VersionWrite[] {
  return watchRecordVersions(readSourceStateMap(db, 'zk.watch', LATEST), watch);
}

/** `watch`: the daemon's watched record of the interval this snapshot closes, written in the same transaction. */
export function writeSnapshot(db: Db, obs: Observation, watch?: readonly VersionWrite[]): WriteResult {
  return withWriteTransaction(db, () => {
    // Planned inside the transaction, against the head state no other writer can change meanwhile.
    const all = sourceFacts(obs, { zkLeaves: previousZkLeaves(db) });
    const writes: WrittenVersion[] = [];
    for (const sf of all) {
      if (!sf.ok) continue;
      for (const w of planVersions(readSourceStateMap(db, sf.source, LATEST), sf.facts, sf.keep)) writes.push({ source: sf.source, ...w });
    }
    const stats = statFacts(obs);
    const records = planVersions(readSourceStateMap(db, 'zk.stat', LATEST), stats.facts, stats.keep, (v) => statJson(v as ZkStat));
    return insertSnapshotRows(db, { startedAt: obs.startedAt, finishedAt: obs.finishedAt, outcomes: all.map(outcomeRow), writes, records, watch: watchVersions(db, watch) });
  });
}
