// The query layer's synchronous reads on PostgreSQL, over one synchronous
// session (pg-sync.ts): each the SQLite read of the same name
// (../version-reads.ts, ../watch-record-reads.ts, ../snapshot-marks.ts, ...)
// with its statement translated (pg-reader-sql*.ts) and its logic shared (the
// pure halves those files export). The agents' stored rows are joined back into
// one agent_role per agent as SQLite's readers join them.
import { FACT_KINDS, type FactKind } from '../../snapshot/fact.js';
import { STORED_SOURCES, type SourceName, type StoredSource } from '../../snapshot/source-name.js';
import type { SnapshotMark } from '../../model/snapshot-mark.js';
import type { SnapshotRef } from '../../util/snapshot-ref.js';
import { agentHostRange, agentRoleHistory, agentRoleOf, joinAgentState, type AgentKeyValue, type AgentRow } from '../agent-shape.js';
import { joinAgentRowsWith } from '../agent-version-rows.js';
import { changedKeysOfSourceWith, type ChangedKey, type ChangedKeyReads } from '../changed-keys.js';
import { stateAfter, stateList, type StateOptions, type StoredFact } from '../read-source-state.js';
import {
  endpointOf,
  outcomeOf,
  outcomesBySnapshot,
  resolveFrom,
  type EndpointRow,
  type OutcomeRangeRow,
  type OutcomeRow,
  type SnapshotRow,
  type SourceOutcome,
} from '../snapshot-index.js';
import { marksFrom, windowOf, type Marks } from '../snapshot-marks.js';
import type { LeafPlacement } from '../placement-reads.js';
import type { PresenceSource, PresenceStarts } from '../presence-starts.js';
import type { SourceState } from '../source-state.js';
import { checkpointOf, type CheckpointRow, type SourceVersion } from '../state-checkpoints.js';
import { byEntity, holdingMap, type EntityVersion, type EntityVersionAt, type EntityVersionRow, type EntitySpan, type FailureRow, type KeyRow, type ReadFrom, type VersionRow, type VersionWithBefore } from '../version-reads.js';
import type { WatchRecordPart, WatchRecordVersion } from '../watch-record-reads.js';
import { NO_CHECKPOINT, type CheckpointHead, type VersionCount } from '../checkpoint-format.js';
import { CHECKPOINT_SQL, COUNT_SINCE_SQL, HEAD_SQL, NET_CHANGES_SQL, SOURCE_VERSIONS_SQL, SUMMARY_CHECKPOINT_SQL } from './pg-checkpoints.js';
import * as V from './pg-reader-sql.js';
import * as M from './pg-reader-sql-more.js';
import type { PgOpenOptions } from './connect.js';
import type { ClusterRow } from '../cluster-list.js';
import { PG_CLUSTERS_SQL } from './pg-clusters.js';
import type { HistoryReader } from '../history-reader.js';
import { openPgSync, type PgSyncSession } from './pg-sync.js';

export type PgReads = ReturnType<typeof pgReads>;

/** The reads, each as its SQLite twin is called, without the handle. */
export function pgReads(s: PgSyncSession) {
  const all = <T>(sql: string, params: readonly unknown[]): T[] => s.query<T>(sql, params);
  const one = <T>(sql: string, params: readonly unknown[]): T | undefined => s.query<T>(sql, params)[0];

  /** read-source-state.ts storedFactsNow: the checkpoint and the net change since, in one snapshot of the database. */
  const storedFacts = (source: StoredSource, id: number, summaries = false): SourceState =>
    s.read(() => {
      const checkpoint = checkpointOf(source, one<CheckpointRow>(summaries ? SUMMARY_CHECKPOINT_SQL : CHECKPOINT_SQL, [source, id]));
      return stateAfter(checkpoint, all(NET_CHANGES_SQL, [source, checkpoint?.snapshotId ?? 0, id]), summaries);
    });
  const readSourceFacts = (source: StoredSource, id: number, opts: StateOptions = {}): SourceState => {
    const stored = storedFacts(source, id, opts.summaries ?? false);
    return source === 'agents' ? joinAgentState(stored) : stored;
  };
  const joinAgents = <T extends VersionRow>(sources: readonly string[], rows: T[], after: number | null): T[] =>
    sources.includes('agents') ? [...joinAgentRowsWith((id) => storedFacts('agents', id), rows, after)] : rows;
  const agentRoleVersions = (agent: string, upTo: number, after: number) => {
    const [lo, hi] = agentHostRange(agent);
    return agentRoleHistory(agent, all<AgentRow>(M.AGENT_HISTORY_SQL, [agent, lo, hi, upTo]), after);
  };
  const agentRoleAt = (agent: string, id: number): string | null => {
    const [lo, hi] = agentHostRange(agent);
    return agentRoleOf(agent, all<AgentKeyValue>(M.AGENT_AT_SQL, [agent, lo, hi, id]));
  };
  const keysInSpans = (source: StoredSource, kind: FactKind, entities: readonly string[], spans: readonly (readonly [number, number])[], mentioning: string | null = null): EntityVersionAt[] =>
    spans.length ? all(V.KEYS_IN_SPANS_SQL, [source, kind, entities, spans.map((x) => x[0]), spans.map((x) => x[1]), mentioning]) : [];
  const changed: ChangedKeyReads = {
    byVersions: (a, b, source) => all<ChangedKey>(M.CHANGED_KEYS_SQL, [a, b, Math.min(a, b), Math.max(a, b), source]),
    keysInRange: (lo, hi, source) => all<{ kind: FactKind; entity: string }>(M.CHANGED_KEY_NAMES_SQL, [lo, hi, source]),
    facts: (source, id, opts) => storedFacts(source as StoredSource, id, opts.summaries ?? false),
    checkpointHead: (source, atOrBefore) => one<CheckpointHead>(HEAD_SQL, [source, atOrBefore]) ?? NO_CHECKPOINT,
    countVersions: (source, after, upTo, limit) => one<VersionCount>(COUNT_SINCE_SQL, [source, after, upTo, limit])!.n,
    agentRoleAt,
  };
  const snapshotById = (id: number) => one<SnapshotRow>(M.SNAPSHOT_BY_ID_SQL, [id]);

  return {
    readSourceFacts,
    readSourceState: (source: StoredSource, id: number, opts: StateOptions & { kind?: FactKind } = {}): StoredFact[] => stateList(readSourceFacts(source, id, opts), opts.kind),
    sourceVersionsAsRead: <S extends StoredSource>(source: S, after: number, upTo: number): (SourceVersion & { source: S })[] => {
      const rows = all<SourceVersion>(SOURCE_VERSIONS_SQL, [source, after, upTo, null]).map((v) => ({ ...v, source }));
      return source === 'agents' ? [...joinAgentRowsWith((id) => storedFacts('agents', id), rows, after)] : rows;
    },
    versionsInRange: (afterId: number, toId: number, sources: readonly SourceName[]): IterableIterator<VersionRow> =>
      joinAgents(sources, all<VersionRow>(V.RANGE_SQL, [afterId, toId, sources]), afterId).values(),
    versionsWithBeforeInRange: (afterId: number, toId: number, sources: readonly StoredSource[]): IterableIterator<VersionWithBefore> => {
      const rows =
        sources.length === 1 ? all<VersionWithBefore>(V.SOURCE_RANGE_WITH_BEFORE_SQL, [sources[0], afterId, toId]) : all<VersionWithBefore>(V.RANGE_WITH_BEFORE_SQL, [afterId, toId, sources]);
      return joinAgents(sources, rows, afterId).values();
    },
    versionsWithBeforeAt: (ids: readonly number[], sources: readonly StoredSource[]): VersionWithBefore[] =>
      joinAgents(sources, all<VersionWithBefore>(V.AT_SNAPSHOTS_WITH_BEFORE_SQL, [ids, sources]), null),
    keysOfEntity: (entity: string): KeyRow[] => all(V.KEYS_OF_ENTITY_SQL, [STORED_SOURCES, FACT_KINDS, entity]),
    keyOf: (source: SourceName, kind: FactKind, entity: string): KeyRow | undefined => one(V.KEY_SQL, [source, kind, entity]),
    keysOfKind: (source: SourceName, kind: FactKind): KeyRow[] => all(V.KEYS_OF_KIND_SQL, [source, kind]),
    keyVersions: (keyId: number, upTo: number, after = 0): EntityVersion[] => {
      const key = one<{ source: string; kind: string; entity: string }>(V.KEY_BY_ID_SQL, [keyId]);
      if (key?.source === 'agents' && key.kind === 'agent_role') return agentRoleVersions(key.entity, upTo, after);
      return after <= 0 ? all(V.KEY_VERSIONS_SQL, [keyId, upTo]) : all(V.KEY_VERSIONS_AFTER_SQL, [keyId, upTo, after]);
    },
    holdingSince: (source: StoredSource, kind: FactKind, entities: readonly string[], at: number) =>
      holdingMap(all<{ entity: string; snapshot: number | null }>(V.HOLDING_SINCE_SQL, [at, source, kind, entities])),
    versionsOfEntities: (source: StoredSource, kind: FactKind, entities: readonly string[], upTo: number, after = 0, from: ReadFrom = 'holding') => {
      const bounded = from === 'holding' ? V.VERSIONS_OF_ENTITIES_AFTER_SQL : V.VERSIONS_OF_ENTITIES_FROM_REMOVAL_SQL;
      const rows = after <= 0 ? all<EntityVersionRow>(V.VERSIONS_OF_ENTITIES_SQL, [source, kind, entities, upTo]) : all<EntityVersionRow>(bounded, [source, kind, entities, upTo, after]);
      return byEntity(rows);
    },
    versionsOfKeysInRange: (source: StoredSource, kind: FactKind, entities: readonly string[], afterId: number, toId: number, mentioning: string | null = null): EntityVersionAt[] =>
      keysInSpans(source, kind, entities, [[afterId, toId]], mentioning),
    versionsOfKeysInSpans: keysInSpans,
    versionsAt: (source: StoredSource, kind: FactKind, pairs: readonly (readonly [entity: string, snapshot: number])[]): Map<string, EntityVersion[]> =>
      byEntity(all<EntityVersionRow>(V.VERSIONS_AT_SQL, [pairs.map((p) => p[0]), pairs.map((p) => p[1]), source, kind])),
    versionsOverSpans: (source: StoredSource, kind: FactKind, spans: readonly EntitySpan[]): Map<string, EntityVersion[]> =>
      spans.length ? byEntity(all<EntityVersionRow>(V.VERSIONS_OVER_SPANS_SQL, [spans.map((x) => x[0]), spans.map((x) => x[1]), spans.map((x) => x[2]), source, kind])) : new Map(),
    failuresInRange: (fromId: number, toId: number, sources: readonly SourceName[]): FailureRow[] =>
      sources.flatMap((src) => all<FailureRow>(V.FAILURES_SQL, [src, fromId, toId])).sort((a, b) => a.snapshot - b.snapshot),
    firstOkAfter: (source: SourceName, id: number): number | null => one<{ id: number | null }>(V.FIRST_OK_AFTER_SQL, [source, id])!.id,
    placedInLeaves: (leaves: readonly string[], at: number): LeafPlacement[] => (leaves.length ? all(M.PLACED_IN_LEAVES_SQL, [leaves, at]) : []),
    presenceStarts: (source: PresenceSource, kind: FactKind, upTo: number): PresenceStarts[] => all(M.PRESENCE_STARTS_SQL, [source, upTo, kind]),
    watchRecordVersions: (afterId: number, toId: number, part: WatchRecordPart): WatchRecordVersion[] =>
      all(M.WATCH_RECORD_SQL, [part.entities, part.qualifiers ?? false, afterId, toId, part.mentioning ?? null]),
    watchedChangesOfPath: (afterId: number, toId: number, path: string): number => one<{ n: number }>(M.WATCHED_CHANGES_OF_PATH_SQL, [path, afterId, toId])!.n,
    watchedRemovalsOfChildren: (afterId: number, toId: number, parent: string, names: readonly string[]): Map<string, number> =>
      new Map(all<{ name: string; n: number }>(M.WATCHED_REMOVALS_OF_CHILDREN_SQL, [parent, afterId, toId, names]).map((r) => [r.name, r.n])),
    changedKeys: (a: number, b: number, sources: readonly SourceName[]): ChangedKey[] => sources.flatMap((source) => changedKeysOfSourceWith(changed, a, b, source)),
    changedKeysOfSource: (a: number, b: number, source: SourceName, how?: 'versions' | 'states') => changedKeysOfSourceWith(changed, a, b, source, how),
    marks: (): Marks =>
      marksFrom({
        mark: (id) => one<SnapshotMark>(M.MARK_SQL, [id]),
        before: (id) => one<SnapshotMark>(M.BEFORE_SQL, [id]),
        after: (id) => one<SnapshotMark>(M.AFTER_SQL, [id]),
        okBefore: (source, id) => one<{ id: number | null }>(M.PREVIOUS_OK_SQL, [source, id])!.id,
        marksOf: (ids) => all<SnapshotMark>(M.MARKS_OF_SQL, [ids]),
        beforeOf: (ids) => all<SnapshotMark & { of: number }>(M.BEFORE_OF_SQL, [ids]),
        okBeforeOf: (source, ids) => all<{ of: number; id: number | null }>(M.PREVIOUS_OK_OF_SQL, [source, ids]),
        marksBetween: (fromId, toId) => all<SnapshotMark>(M.MARKS_BETWEEN_SQL, [fromId, toId]),
      }),
    windowSnapshots: (window: { since?: number; until?: number }) =>
      windowOf(one<SnapshotMark>(M.FIRST_AT_OR_AFTER_SQL, [window.since ?? 0]), one<SnapshotMark>(M.LAST_AT_OR_BEFORE_SQL, [window.until ?? Number.MAX_SAFE_INTEGER])),
    snapshotById,
    snapshotAtOrBefore: (at: number) => one<SnapshotRow>(M.SNAPSHOT_AT_OR_BEFORE_SQL, [at]),
    resolveSnapshot: (ref: SnapshotRef): SnapshotRow =>
      resolveFrom({ byId: snapshotById, latest: (back) => one(M.SNAPSHOT_LATEST_SQL, [back]), atOrBefore: (at) => one(M.SNAPSHOT_AT_OR_BEFORE_SQL, [at]) }, ref),
    listSnapshots: (opts: { since?: number; until?: number; limit?: number }): SnapshotRow[] =>
      all<SnapshotRow>(M.LIST_SNAPSHOTS_SQL, [opts.since ?? 0, opts.until ?? Number.MAX_SAFE_INTEGER, opts.limit ?? null]).reverse(),
    snapshotsBetween: (fromId: number, toId: number): SnapshotRow[] => all(M.SNAPSHOTS_BETWEEN_SQL, [fromId, toId]),
    sourceOutcomes: (id: number): SourceOutcome[] => all<OutcomeRow>(M.OUTCOMES_SQL, [id]).map(outcomeOf),
    sourceOutcomesBetween: (fromId: number, toId: number): Map<number, SourceOutcome[]> => outcomesBySnapshot(all<OutcomeRangeRow>(M.OUTCOMES_BETWEEN_SQL, [fromId, toId])),
    lastOkSnapshot: (source: SourceName, id: number): number | null => one<{ id: number | null }>(M.LAST_OK_SQL, [source, id])!.id,
    lastSourceEndpoint: (source: SourceName) => endpointOf(one<EndpointRow>(M.LAST_ENDPOINT_SQL, [source])),
    snapshotIdRange: () => {
      const r = one<{ first: number | null; last: number | null }>(M.ID_RANGE_SQL, [])!;
      return { first: r.first ?? 0, last: r.last ?? 0 };
    },
    lastCompleteFinishedAt: (): number | null => one<{ at: number | null }>(M.LAST_COMPLETE_SQL, [])!.at,
    readMeta: (key: string): string | undefined => one<{ value: string }>(M.META_SQL, [key])?.value,
    listClusters: (): ClusterRow[] => all<ClusterRow>(PG_CLUSTERS_SQL, []),
  };
}

/**
 * The reads of cluster `opts.cluster` (default: the default cluster) of the
 * PostgreSQL history at `url`, on a session of their own: opened as the async
 * store opens (same timeouts, one-line errors: a server that refuses is exit 6,
 * a cluster the history does not have exit 7); close() ends the session. The
 * driver loads in the session's worker only: this thread never loads pg.
 *
 * Opening costs more than the async store's (bench/storage/pg-reader-open.ts,
 * bundled, first open in a fresh process, 5 each, load ~2 on 2 cores): 184-228
 * ms against 48-77: the worker thread starts (~50 ms) and loads pg (~60 ms) and
 * drizzle's migrator before it connects. A command can start it early and
 * parse, or open other things, meanwhile.
 */
export async function openPgReader(url: string, opts: PgOpenOptions & { cluster?: string } = {}): Promise<HistoryReader> {
  const session = await openPgSync(url, { ...opts, create: false });
  return { ...pgReads(session), engine: 'postgres', close: () => session.close() };
}
