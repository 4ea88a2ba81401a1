// Version streams with the agents' stored rows joined back into one
// `agent_role` version per agent and snapshot (I/O; agent-shape.ts): its
// whole value as readers see it after the snapshot, and before it when the
// stream carries what each version replaced.
import type { Db } from './db.js';
import { AgentsState, splitAgentHost } from './agent-shape.js';
import type { FactKind } from '../snapshot/fact.js';
import type { StoredSource } from '../snapshot/source-name.js';
import { storedFactsNow } from './read-source-state.js';
import type { SourceState } from './source-state.js';
import { sourceVersions, type SourceVersion } from './state-checkpoints.js';

/** A version-reads row (version-reads.ts), with what it replaced when the read carries it. */
interface Row {
  snapshot: number;
  source: string;
  kind: FactKind;
  entity: string;
  value: string | null;
  before?: string | null;
}

/** The agents' stored facts at a snapshot, read by the caller's engine. */
export type StoredAgentsAt = (snapshotId: number) => SourceState;

function storedAt(read: StoredAgentsAt, snapshotId: number): AgentsState {
  const state = new AgentsState();
  const stored = read(snapshotId);
  for (const kind of stored.kinds()) stored.each(kind, (entity, value) => state.apply(kind, entity, value));
  return state;
}

function agentOf(r: Row): string {
  return r.kind === 'agent_host' ? splitAgentHost(r.entity)[0] : r.entity;
}

/** One snapshot's rows with its agents' rows joined; `state` holds the stored facts just before it and is advanced past it. */
function* joinSnapshot<T extends Row>(rows: readonly T[], state: AgentsState): Generator<T> {
  const before = new Map<string, string | null>();
  for (const r of rows) if (r.source === 'agents' && !before.has(agentOf(r))) before.set(agentOf(r), state.joined(agentOf(r)));
  for (const r of rows) if (r.source === 'agents') state.apply(r.kind, r.entity, r.value);
  const done = new Set<string>();
  for (const r of rows) {
    if (r.source !== 'agents') {
      yield r;
      continue;
    }
    const agent = agentOf(r);
    if (done.has(agent)) continue;
    done.add(agent);
    const was = before.get(agent)!;
    const value = state.joined(agent);
    if (value === was) continue; // stored in the new shape, the same for readers
    yield { ...r, kind: 'agent_role', entity: agent, value, ...('before' in r ? { before: was } : {}) };
  }
}

/**
 * `rows` (in snapshot order) with the agents' joined. `contiguous`: the rows
 * hold every agents version after `after` (a range read), so the state read
 * once at `after` is advanced along; otherwise (reads at chosen snapshots) it
 * is read before each snapshot that has agents rows.
 */
export function joinAgentRows<T extends Row>(db: Db, rows: Iterable<T>, after: number | null): Generator<T> {
  return joinAgentRowsWith((id) => storedFactsNow(db, 'agents', id), rows, after);
}

/** The same on any engine (pure): `read` gives the agents' stored facts at a snapshot. */
export function* joinAgentRowsWith<T extends Row>(read: StoredAgentsAt, rows: Iterable<T>, after: number | null): Generator<T> {
  let state: AgentsState | null = null;
  let batch: T[] = [];
  const flush = function* (): Generator<T> {
    if (!batch.some((r) => r.source === 'agents')) return yield* batch;
    if (after === null || !state) state = storedAt(read, after ?? batch[0]!.snapshot - 1);
    yield* joinSnapshot(batch, state);
  };
  for (const r of rows) {
    if (batch.length && r.snapshot !== batch[0]!.snapshot) {
      yield* flush();
      batch = [];
    }
    batch.push(r);
  }
  yield* flush();
}

/** One source's versions in (after, upTo] as readers see them: the agents' joined (sourceVersions holds the stored rows). */
export function sourceVersionsAsRead<S extends StoredSource>(db: Db, source: S, after: number, upTo: number): (SourceVersion & { source: S })[] {
  const rows = sourceVersions(db, source, after, upTo).map((v) => ({ ...v, source }));
  return source === 'agents' ? [...joinAgentRows(db, rows, after)] : rows;
}
