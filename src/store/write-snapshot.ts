// Records one collection as one transaction: the snapshot row, one outcome row
// per source, and only the fact versions that changed. A failed source writes
// its outcome and nothing else, so its facts stay as last known.
import type { Observation, SourceReading } from '../model/observation.js';
import { formatEndpoint } from '../model/ids.js';
import { splitFactKey, type LeafValue } from '../snapshot/fact.js';
import { planSourceVersions, planStatVersions, type VersionWrite } from '../snapshot/plan-versions.js';
import type { SourceFacts } from '../snapshot/source-facts.js';
import { sourceFacts } from '../snapshot/source-registry.js';
import { sourceStats } from '../snapshot/source-stats.js';
import { watchRecordVersions } from '../snapshot/zk-watch-facts.js';
import { insertSnapshotRows, type OutcomeRow, type WriteResult, type WrittenVersion } from './insert-snapshot-rows.js';
import type { Db } from './db.js';
import { HeadState } from './head-state.js';
import { withWriteTransaction } from './write-transaction.js';

export type { WriteResult, WrittenVersion } from './insert-snapshot-rows.js';

function previousZkLeaves(head: HeadState): Map<string, LeafValue> {
  const leaves = new Map<string, LeafValue>();
  for (const [key, value] of head.of('zk.roles')) {
    const { kind, entity } = splitFactKey(key);
    if (kind === 'leaf') leaves.set(entity, JSON.parse(value) as LeafValue);
  }
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
function watchVersions(head: HeadState, watch: readonly VersionWrite[] = []): VersionWrite[] {
  return watchRecordVersions(head.of('zk.watch'), watch);
}

/** `watch`: the daemon's watched record of the interval this snapshot closes, written in the same transaction. */
export function writeSnapshot(db: Db, obs: Observation, watch?: readonly VersionWrite[]): WriteResult {
  const outer = db.$client.inTransaction;
  try {
    return withWriteTransaction(db, () => {
      // Planned inside the transaction, against the head state no other writer can change meanwhile.
      const head = HeadState.open(db, outer);
      const all = sourceFacts(obs, { zkLeaves: previousZkLeaves(head) });
      const writes: WrittenVersion[] = [];
      for (const sf of all) {
        if (!sf.ok) continue;
        for (const w of head.plan(sf.source, sf.reading.result, (previous) => planSourceVersions(previous, sf))) writes.push({ source: sf.source, ...w });
      }
      const records = head.plan('zk.stat', obs.zkStats, (previous) => planStatVersions(previous, obs));
      const watched = watchVersions(head, watch);
      const result = insertSnapshotRows(db, { startedAt: obs.startedAt, finishedAt: obs.finishedAt, outcomes: all.map(outcomeRow), writes, records, watch: watched });
      head.advance(result.snapshotId, [...writes, ...records.map((r) => ({ source: 'zk.stat' as const, ...r })), ...watched.map((w) => ({ source: 'zk.watch' as const, ...w }))]);
      return result;
    });
  } catch (e) {
    HeadState.drop(db);
    throw e;
  }
}
