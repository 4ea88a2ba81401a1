// Records one collection as one transaction: the snapshot row, one outcome row
// per source, and only the fact versions that changed. A failed source writes
// its outcome and nothing else, so its facts stay as last known.
import type { Observation, SourceReading } from '../collect/observation.js';
import { formatEndpoint } from '../model/ids.js';
import type { LeafValue } from '../snapshot/fact.js';
import { planVersions, type VersionWrite } from '../snapshot/plan-versions.js';
import type { SourceName } from '../snapshot/source-name.js';
import { sourceFacts, type SourceFacts } from '../snapshot/source-facts.js';
import { sourceStats } from '../snapshot/source-stats.js';
import type { Db } from './open-database.js';
import { readSourceState, readSourceStateMap } from './read-source-state.js';

export interface WrittenVersion extends VersionWrite {
  source: SourceName;
}

export interface WriteResult {
  snapshotId: number;
  /** Version rows written per source (0 for an unchanged or failed source). */
  changes: Record<string, number>;
  failedSources: SourceName[];
  /** Every version row this snapshot wrote. */
  written: WrittenVersion[];
}

const LATEST = Number.MAX_SAFE_INTEGER;

function previousZkLeaves(db: Db): Map<string, LeafValue> {
  const leaves = new Map<string, LeafValue>();
  for (const f of readSourceState(db, 'zk.roles', LATEST, 'leaf')) leaves.set(f.entity, JSON.parse(f.value) as LeafValue);
  return leaves;
}

function outcomeRow(snapshotId: number, sf: SourceFacts) {
  const reading: SourceReading<unknown> = sf.reading;
  return {
    snapshot_id: snapshotId,
    source: sf.source,
    ok: sf.ok ? 1 : 0,
    error_kind: sf.ok ? null : sf.error.kind,
    error_message: sf.ok ? null : sf.error.message,
    duration_ms: Math.round(reading.durationMs),
    endpoint: reading.endpoint ? formatEndpoint(reading.endpoint) : null,
    stats: JSON.stringify(sourceStats(sf)),
  };
}

export function writeSnapshot(db: Db, obs: Observation): WriteResult {
  const c = db.$client;
  const insertSnapshot = c.prepare('INSERT INTO snapshots (started_at, finished_at, failed_sources) VALUES (?, ?, ?)');
  const insertOutcome = c.prepare(
    `INSERT INTO snapshot_sources (snapshot_id, source, ok, error_kind, error_message, duration_ms, endpoint, stats)
     VALUES (@snapshot_id, @source, @ok, @error_kind, @error_message, @duration_ms, @endpoint, @stats)`,
  );
  const findKey = c.prepare('SELECT id FROM fact_keys WHERE source = ? AND kind = ? AND entity = ?').pluck();
  const insertKey = c.prepare('INSERT INTO fact_keys (source, kind, entity) VALUES (?, ?, ?)');
  const insertVersion = c.prepare('INSERT INTO fact_versions (key_id, from_snapshot, value) VALUES (?, ?, ?)');

  const run = c.transaction((): WriteResult => {
    const all = sourceFacts(obs, { zkLeaves: previousZkLeaves(db) });
    const failedSources = all.filter((s) => !s.ok).map((s) => s.source);
    const snapshotId = Number(insertSnapshot.run(obs.startedAt, obs.finishedAt, failedSources.length).lastInsertRowid);
    const changes: Record<string, number> = {};
    const written: WrittenVersion[] = [];
    for (const sf of all) {
      insertOutcome.run(outcomeRow(snapshotId, sf));
      changes[sf.source] = 0;
      if (!sf.ok) continue;
      const writes = planVersions(readSourceStateMap(db, sf.source, LATEST), sf.facts, sf.keep);
      for (const w of writes) {
        let keyId = findKey.get(sf.source, w.kind, w.entity) as number | undefined;
        keyId ??= Number(insertKey.run(sf.source, w.kind, w.entity).lastInsertRowid);
        insertVersion.run(keyId, snapshotId, w.value);
        written.push({ source: sf.source, ...w });
      }
      changes[sf.source] = writes.length;
    }
    return { snapshotId, changes, failedSources, written };
  });
  return run.immediate();
}
