// One source's facts as of a snapshot on PostgreSQL: the latest checkpoint at
// or before it plus the net change since, as ../read-source-state.ts.
import { factKey, type FactKind } from '../../snapshot/fact.js';
import { isSummarized, summarizeValue } from '../../snapshot/fact-summary.js';
import type { StoredSource } from '../../snapshot/source-name.js';
import { joinAgentState } from '../agent-shape.js';
import type { StoredFact } from '../checkpoint-format.js';
import type { StateOptions } from '../read-source-state.js';
import { SourceState } from '../source-state.js';
import { pgCheckpointAt, pgNetChanges } from './pg-checkpoints.js';
import type { Sql } from './pg-db.js';

/** Inside the caller's transaction, which makes the two reads agree (pgRead, or a write's). */
export async function pgReadSourceFacts(sql: Sql, source: StoredSource, snapshotId: number, opts: StateOptions = {}): Promise<SourceState> {
  const summaries = opts.summaries ?? false;
  const checkpoint = await pgCheckpointAt(sql, source, snapshotId, summaries);
  const versions = await pgNetChanges(sql, source, checkpoint?.snapshotId ?? 0, snapshotId);
  if (summaries) for (const v of versions) if (v.value !== null && isSummarized(v.kind)) v.value = summarizeValue(v.kind, v.value);
  return new SourceState(checkpoint?.state, versions);
}

/**
 * As readers see them: the agents' host rows (a history written on SQLite since
 * its agents were stored per host, then imported) joined back into their roles,
 * as ../read-source-state.ts does. Checkpoints are made from the stored facts.
 */
export async function pgReadSourceState(sql: Sql, source: StoredSource, snapshotId: number, opts: StateOptions & { kind?: FactKind } = {}): Promise<StoredFact[]> {
  const stored = await pgReadSourceFacts(sql, source, snapshotId, opts);
  const state = source === 'agents' ? joinAgentState(stored) : stored;
  if (!opts.kind) return state.all();
  return [...state.ofKind(opts.kind)].map(([entity, value]) => ({ kind: opts.kind!, entity, value }));
}

export async function pgReadSourceStateMap(sql: Sql, source: StoredSource, snapshotId: number): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const f of await pgReadSourceState(sql, source, snapshotId)) out.set(factKey(f.kind, f.entity), f.value);
  return out;
}
