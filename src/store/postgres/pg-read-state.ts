// One source's facts as of a snapshot on PostgreSQL: the latest checkpoint at
// or before it plus the net change since, as ../read-source-state.ts.
import { factKey, type FactKind } from '../../snapshot/fact.js';
import type { StoredSource } from '../../snapshot/source-name.js';
import { joinAgentState } from '../agent-shape.js';
import type { StoredFact } from '../checkpoint-format.js';
import { stateAfter, stateList, type StateOptions } from '../read-source-state.js';
import type { SourceState } from '../source-state.js';
import { pgCheckpointAt, pgNetChanges } from './pg-checkpoints.js';
import type { Sql } from './pg-db.js';

/** Inside the caller's transaction, which makes the two reads agree (pgRead, or a write's). */
export async function pgReadSourceFacts(sql: Sql, source: StoredSource, snapshotId: number, opts: StateOptions = {}): Promise<SourceState> {
  const summaries = opts.summaries ?? false;
  const checkpoint = await pgCheckpointAt(sql, source, snapshotId, summaries);
  return stateAfter(checkpoint, await pgNetChanges(sql, source, checkpoint?.snapshotId ?? 0, snapshotId), summaries);
}

/**
 * As readers see them: the agents' host rows (a history written on SQLite since
 * its agents were stored per host, then imported) joined back into their roles,
 * as ../read-source-state.ts does. Checkpoints are made from the stored facts.
 */
export async function pgReadSourceState(sql: Sql, source: StoredSource, snapshotId: number, opts: StateOptions & { kind?: FactKind } = {}): Promise<StoredFact[]> {
  const stored = await pgReadSourceFacts(sql, source, snapshotId, opts);
  return stateList(source === 'agents' ? joinAgentState(stored) : stored, opts.kind);
}

export async function pgReadSourceStateMap(sql: Sql, source: StoredSource, snapshotId: number): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const f of await pgReadSourceState(sql, source, snapshotId)) out.set(factKey(f.kind, f.entity), f.value);
  return out;
}
