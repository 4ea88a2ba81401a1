// Every read of the query layer called with a spread of arguments (first,
// middle and last snapshots, unknown ones, empty and inverted ranges, each
// source, entities known and not), on any reader shaped as the SQLite
// functions minus their handle. Each call's answer is recorded, or the error
// it threw (class and message), so two engines' walks compare with deepEqual.
import type { FactKind } from '../../src/snapshot/fact.js';
import { SOURCES, STORED_SOURCES, type SourceName, type StoredSource } from '../../src/snapshot/source-name.js';

/** The reads a walk calls, by name; each takes the arguments of its SQLite twin after the handle. */
export type Reads = Record<string, (...args: never[]) => unknown>;

export interface Spread {
  ids: number[];
  /** (after, to] ranges. */
  ranges: [number, number][];
  entities: string[];
  /** [source, kind] pairs that hold facts. */
  kinds: [StoredSource, FactKind][];
}

interface Row {
  snapshot?: number;
  source?: string;
  entity?: string;
}

/**
 * Within one snapshot, the agents' joined rows sorted by agent: each engine
 * hands them out at the place of the agent's first stored row, and the engines
 * store agents differently (SQLite a row per host, PostgreSQL whole lists).
 * Every other row keeps its place.
 */
function agentsInAgentOrder(rows: unknown[]): unknown[] {
  if (!rows.some((r) => (r as Row)?.source === 'agents' && (r as Row).snapshot !== undefined)) return rows;
  const out: unknown[] = [];
  for (let i = 0; i < rows.length; ) {
    let j = i;
    while (j < rows.length && (rows[j] as Row).snapshot === (rows[i] as Row).snapshot) j++;
    const group = rows.slice(i, j) as Row[];
    const agents = group.filter((r) => r.source === 'agents').sort((a, b) => (a.entity! < b.entity! ? -1 : 1));
    out.push(...group.filter((r) => r.source !== 'agents'), ...agents);
    i = j;
  }
  return out;
}

/** Key ids are each engine's own (SQLite has a key per agent host): a key is compared by what it names. */
function withoutKeyIds(v: unknown): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v) || v instanceof Map) return v;
  const { id, keyId, ...rest } = v as Record<string, unknown>;
  if (keyId !== undefined) return rest;
  return id !== undefined && 'entity' in rest && 'kind' in rest ? rest : v;
}

/** A plain value for deepEqual: iterators spread, Maps as entries, errors as their class and line. */
function settle(fn: () => unknown): unknown {
  try {
    const v = fn();
    if (Array.isArray(v)) return agentsInAgentOrder(v.map(withoutKeyIds));
    if (v && typeof v === 'object' && Symbol.iterator in v && !(v instanceof Map)) return agentsInAgentOrder([...(v as Iterable<unknown>)].map(withoutKeyIds));
    return withoutKeyIds(v);
  } catch (e) {
    return { threw: (e as Error).constructor.name, message: (e as Error).message };
  }
}

const SOURCE_SETS: StoredSource[][] = [...STORED_SOURCES.map((s) => [s]), [...STORED_SOURCES], ['status', 'agents'], ['zk.watch', 'zk.missing']];

/** Calls of each read, keyed by read name. */
export function readerCalls(sp: Spread): Record<string, ((r: Reads) => unknown)[]> {
  const c = <A extends unknown[]>(name: string, args: A) => (r: Reads) => settle(() => (r[name] as (...a: A) => unknown)(...args));
  const per = <T, A extends unknown[]>(name: string, list: T[], args: (x: T) => A) => list.map((x) => c(name, args(x)));
  const stateArgs = sp.ids.flatMap((id) => STORED_SOURCES.flatMap((s) => [[s, id, {}], [s, id, { summaries: true }]] as [StoredSource, number, object][]));
  // Reads by key hand out stored values: the agents' differ by engine as their stored shape does (no query reads them so).
  const stored = sp.kinds.filter(([s]) => s !== 'agents');
  const entityReads = stored.flatMap(([s, k]) => sp.ranges.map(([a, b]) => [s, k, sp.entities, a, b] as const));
  return {
    readSourceFacts: stateArgs.map((a) => (r: Reads) => settle(() => (r.readSourceFacts as (...x: unknown[]) => { all(): unknown })(...a).all())),
    readSourceState: [...per('readSourceState', stateArgs, (a) => a), ...per('readSourceState', sp.ids, (id) => ['zk.roles', id, { kind: 'leaf' }])],
    sourceVersionsAsRead: sp.ranges.flatMap(([a, b]) => STORED_SOURCES.map((s) => c('sourceVersionsAsRead', [s, a, b]))),
    versionsInRange: sp.ranges.flatMap(([a, b]) => SOURCE_SETS.map((s) => c('versionsInRange', [a, b, s]))),
    versionsWithBeforeInRange: sp.ranges.flatMap(([a, b]) => SOURCE_SETS.map((s) => c('versionsWithBeforeInRange', [a, b, s]))),
    versionsWithBeforeAt: SOURCE_SETS.flatMap((s) => [c('versionsWithBeforeAt', [sp.ids, s]), c('versionsWithBeforeAt', [[], s])]),
    keysOfEntity: per('keysOfEntity', sp.entities, (e) => [e]),
    keyOf: sp.kinds.flatMap(([s, k]) => sp.entities.map((e) => c('keyOf', [s, k, e]))),
    keysOfKind: [...per('keysOfKind', sp.kinds, ([s, k]) => [s, k]), c('keysOfKind', ['status', 'leaf'])],
    // Each engine's own id of the same key.
    keyVersions: [
      ...sp.kinds.flatMap(([s, k]) =>
        sp.entities.flatMap((e) =>
          sp.ids.flatMap((upTo) =>
            [0, 1, sp.ids[1]!].map((after) => (r: Reads) => {
              const key = (r.keyOf as (...a: unknown[]) => { id: number } | undefined)(s, k, e);
              return key ? settle(() => (r.keyVersions as (...a: unknown[]) => unknown)(key.id, upTo, after)) : 'no such key';
            }),
          ),
        ),
      ),
      c('keyVersions', [10_000_000, 5, 0]),
    ],
    versionsOfEntities: stored.flatMap(([s, k]) =>
      sp.ids.flatMap((upTo) => [c('versionsOfEntities', [s, k, sp.entities, upTo]), ...[1, sp.ids[1]!].flatMap((after) => (['holding', 'removal'] as const).map((f) => c('versionsOfEntities', [s, k, sp.entities, upTo, after, f])))]),
    ),
    holdingSince: stored.flatMap(([s, k]) => sp.ids.map((at) => c('holdingSince', [s, k, sp.entities, at]))),
    versionsOfKeysInRange: entityReads.flatMap((a) => [c('versionsOfKeysInRange', [...a]), c('versionsOfKeysInRange', [...a, '"ONLINE"']), c('versionsOfKeysInRange', [...a, 'no such text'])]),
    versionsOfKeysInSpans: stored.flatMap(([s, k]) =>
      [[], [[0, 2], [3, 5]], sp.ranges.filter(([a, b]) => a < b).slice(0, 1), [[1, 2], [Math.max(...sp.ids) - 3, Math.max(...sp.ids) + 9]]].flatMap((spans) =>
        [null, '"ONLINE"', 'no such text'].map((m) => c('versionsOfKeysInSpans', [s, k, sp.entities, spans, m])),
      ),
    ),
    versionsAt: stored.map(([s, k]) => c('versionsAt', [s, k, sp.entities.flatMap((e) => sp.ids.map((id) => [e, id]))])),
    // Spans that share versions, start before any version, run backwards, and name unknown entities.
    versionsOverSpans: stored.flatMap(([s, k]) =>
      [[], sp.entities.flatMap((e) => sp.ranges.map(([a, b]) => [e, a, b])), sp.entities.flatMap((e) => [[e, 0, 1], [e, 1, 3], [e, 2, Math.max(...sp.ids)], [e, 5, 2]]), [['no such entity', 0, 9]]].map((spans) =>
        c('versionsOverSpans', [s, k, spans]),
      ),
    ),
    placedInLeaves: sp.ids.flatMap((id) => [sp.entities, ['L1', 'L1'], ['nope'], []].map((leaves) => c('placedInLeaves', [leaves, id]))),
    presenceStarts: stored.flatMap(([s, k]) => [...sp.ids, 0].map((upTo) => c('presenceStarts', [s, k, upTo]))),
    failuresInRange: sp.ranges.flatMap(([a, b]) => [c('failuresInRange', [a, b, SOURCES]), c('failuresInRange', [a, b, ['status']])]),
    firstOkAfter: SOURCES.flatMap((s: SourceName) => sp.ids.map((id) => c('firstOkAfter', [s, id]))),
    watchRecordVersions: sp.ranges.flatMap(([a, b]) =>
      [{ entities: ['/missing'] }, { entities: ['/missing', '/nope'], qualifiers: true }, { entities: [], qualifiers: true }, { entities: ['/missing'], mentioning: ['h2', 'h5'] }, { entities: ['/missing'], mentioning: [] }].map((part) => c('watchRecordVersions', [a, b, part])),
    ),
    watchedChangesOfPath: sp.ranges.flatMap(([a, b]) => ['/missing', '/roles/h1', '/nope'].map((p) => c('watchedChangesOfPath', [a, b, p]))),
    watchedRemovalsOfChildren: sp.ranges.flatMap(([a, b]) => [c('watchedRemovalsOfChildren', [a, b, '/missing', ['h1', 'h2', 'h3', 'h9']]), c('watchedRemovalsOfChildren', [a, b, '/nope', ['h1']])]),
    changedKeys: sp.ranges.flatMap(([a, b]) => [c('changedKeys', [a, b, SOURCES]), c('changedKeys', [b, a, [...STORED_SOURCES]])]),
    changedKeysOfSource: sp.ranges.flatMap(([a, b]) => STORED_SOURCES.flatMap((s) => (['versions', 'states'] as const).map((how) => c('changedKeysOfSource', [a, b, s, how])))),
    // Asked one by one, then again after a preload of the same ids, then of a range (each engine's batch statements).
    marks: (['none', 'ids', 'range'] as const).map((preloaded) => (r: Reads) => settle(() => {
      const m = (r.marks as () => Record<string, (...a: unknown[]) => unknown>)();
      if (preloaded === 'ids') m.preload!([...sp.ids, ...sp.ids], { before: true, previousOk: SOURCES });
      if (preloaded === 'range') m.preloadBetween!(0, Math.max(...sp.ids));
      return sp.ids.flatMap((id) => [settle(() => m.mark!(id)), m.before!(id), m.after!(id), ...SOURCES.flatMap((s) => [m.previousOk!(s, id), m.latestOk!(s, id)])]);
    })),
    windowSnapshots: [{}, { since: 0 }, { until: 0 }, { since: Number.MAX_SAFE_INTEGER }, { since: 1_700_000_120_000, until: 1_700_000_600_000 }].map((w) => c('windowSnapshots', [w])),
    snapshotById: per('snapshotById', sp.ids, (id) => [id]),
    snapshotAtOrBefore: per('snapshotAtOrBefore', [0, 1_700_000_000_000, 1_700_000_130_000, Number.MAX_SAFE_INTEGER], (at) => [at]),
    resolveSnapshot: [
      ...sp.ids.map((id) => c('resolveSnapshot', [{ kind: 'id', id }])),
      ...[0, 1, 3, 10_000].map((back) => c('resolveSnapshot', [{ kind: 'latest', back }])),
      ...[0, 1_700_000_130_000, Number.MAX_SAFE_INTEGER].map((at) => c('resolveSnapshot', [{ kind: 'time', at }])),
    ],
    listSnapshots: [{}, { limit: 3 }, { since: 1_700_000_300_000 }, { until: 1_700_000_300_000, limit: 2 }, { since: Number.MAX_SAFE_INTEGER }].map((w) => c('listSnapshots', [w])),
    snapshotsBetween: per('snapshotsBetween', sp.ranges, ([a, b]) => [a, b]),
    sourceOutcomes: per('sourceOutcomes', sp.ids, (id) => [id]),
    sourceOutcomesBetween: [...sp.ranges, [1, 1] as [number, number], [0, Number.MAX_SAFE_INTEGER] as [number, number]].map(([a, b]) => c('sourceOutcomesBetween', [a, b])),
    lastOkSnapshot: SOURCES.flatMap((s) => sp.ids.map((id) => c('lastOkSnapshot', [s, id]))),
    lastSourceEndpoint: SOURCES.map((s) => c('lastSourceEndpoint', [s])),
    snapshotIdRange: [c('snapshotIdRange', [])],
    lastCompleteFinishedAt: [c('lastCompleteFinishedAt', [])],
    readMeta: ['drift.recorded', 'nope'].map((k) => c('readMeta', [k])),
    listClusters: [c('listClusters', [])],
  };
}
