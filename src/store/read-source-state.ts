// Reads what one source's facts were as of a snapshot: its latest checkpoint
// at or before it, plus the net change since (each key's last version after
// the checkpoint; fewer versions than the state has facts, by the checkpoint
// rule). The cost follows the size of the state, never the length of the
// history or of one key's history.
import { factKey, type FactKind } from '../snapshot/fact.js';
import { summarizeValue } from '../snapshot/fact-summary.js';
import type { StoredSource } from '../snapshot/source-name.js';
import type { StoredFact } from './checkpoint-format.js';
import type { Db } from './db.js';
import { joinAgentState } from './agent-shape.js';
import { SourceState, type FactVersion } from './source-state.js';
import { checkpointAt, netChanges, type Checkpoint } from './state-checkpoints.js';

export type { StoredFact } from './checkpoint-format.js';
export type { SourceState } from './source-state.js';

export interface StateOptions {
  /** Registrations and statuses as their summaries (src/snapshot/fact-summary.ts): what tree views and drift checks read. */
  summaries?: boolean;
}

/** The facts of `source` holding at `snapshotId`, resolved per kind when asked for (the agents' joined, agent-rows.ts). */
export function readSourceFacts(db: Db, source: StoredSource, snapshotId: number, opts: StateOptions = {}): SourceState {
  const stored = readStoredFacts(db, source, snapshotId, opts);
  return source === 'agents' ? joinAgentState(stored) : stored;
}

/** The facts of `source` holding at `snapshotId` as the file holds them (checkpoints are written from these). */
export function readStoredFacts(db: Db, source: StoredSource, snapshotId: number, opts: StateOptions = {}): SourceState {
  const summaries = opts.summaries ?? false;
  // One read transaction: a prune committing between the two reads cannot mix two histories.
  return db.$client.transaction(() => storedFactsNow(db, source, snapshotId, summaries)).deferred();
}

/** The same inside a read already under way (a statement still iterating keeps its view of the file). */
export function storedFactsNow(db: Db, source: StoredSource, snapshotId: number, summaries = false): SourceState {
  const checkpoint = checkpointAt(db, source, snapshotId, summaries);
  return stateAfter(checkpoint, netChanges(db, source, checkpoint?.snapshotId ?? 0, snapshotId), summaries);
}

/**
 * A source's stored facts from its checkpoint and the net change since (pure;
 * both engines read the two their own way). With `summaries`, the changed
 * values are summarized as the checkpoint's summary column already is, each
 * when a reader first asks for it.
 */
export function stateAfter(checkpoint: Checkpoint | null, versions: FactVersion[], summaries: boolean): SourceState {
  return new SourceState(checkpoint?.state, versions, summaries ? (kind, _entity, value) => summarizeValue(kind, value) : null);
}

/** The facts of a stored state as a list (optionally of one kind): readSourceState's shape. */
export function stateList(state: SourceState, kind?: FactKind): StoredFact[] {
  if (!kind) return state.all();
  return [...state.ofKind(kind)].map(([entity, value]) => ({ kind, entity, value }));
}

/** The same facts as a list (optionally of one kind). */
export function readSourceState(db: Db, source: StoredSource, snapshotId: number, opts: StateOptions & { kind?: FactKind } = {}): StoredFact[] {
  return stateList(readSourceFacts(db, source, snapshotId, opts), opts.kind);
}

/** The same as a map from fact key to canonical JSON, the shape the planner takes. */
export function readSourceStateMap(db: Db, source: StoredSource, snapshotId: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readSourceState(db, source, snapshotId)) out.set(factKey(f.kind, f.entity), f.value);
  return out;
}
