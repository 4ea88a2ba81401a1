// `drift --since T [--until T]` (I/O glue). The drift items at the window's
// first snapshot, then how they changed, snapshot by snapshot, come from one
// of two feeds: the recorded drift (src/record/record-drift.ts: a few rows per change),
// or, where the window reaches past the record, a live walk that reads the
// full state once and re-checks only the entities each version touches. When
// the set of sources read changes, the current items are re-classified.
// Snapshots where nothing changed cost nothing.
import { SOURCES, type SourceName } from '../snapshot/source-name.js';
import { type HistoryReader, type Marks, type VersionRow } from '../store/index.js';
import type { FactDelta } from './classify-change.js';
import { flapPathsOf, mayHaveFlapped } from './episode-flaps.js';
import { hiddenAtPaths } from './load-episode-flaps.js';
import { loadWatched } from './load-timeline.js';
import { concernsItem, singleWrite, withinEdge, writtenNode } from './episode-times.js';
import type { StatPath } from './stat-path.js';
import type { LeafValue } from '../snapshot/fact.js';
import type { ZkStat } from '../model/zk-stat.js';
import { applyFactChange, emptyTouched } from './cluster-facts.js';
import { driftEpisodes, type DriftEpisode, type DriftStep } from './drift-history.js';
import { DriftWalk, RawDrift, type DriftChanges } from './drift-walk.js';
import { driftKey, fullScope, type DriftKind } from './drift.js';
import { loadClusterFacts } from './load-cluster-facts.js';
import { countKinds } from './load-drift.js';
import { parseRecorded, recordedDrift, recordedThrough } from './recorded-drift.js';
import type { SnapshotMark } from '../model/snapshot-mark.js';

export interface DriftHistoryReport {
  window: { first: SnapshotMark; last: SnapshotMark };
  /** Snapshots in the window where something changed, so drift was re-checked. */
  evaluations: number;
  total: number;
  open: number;
  counts: Partial<Record<DriftKind, number>>;
  episodes: DriftEpisode[];
}

/** The drift items at the window's first snapshot, then each later snapshot where they may have changed. */
interface DriftFeed {
  initial: DriftChanges;
  changes: Iterable<[snapshot: number, changes: DriftChanges]>;
}

function* groupedBySnapshot<T extends { snapshot: number }>(rows: Iterable<T>): Generator<[number, T[]]> {
  let group: T[] = [];
  for (const row of rows) {
    if (group.length && row.snapshot !== group[0]!.snapshot) {
      yield [group[0]!.snapshot, group];
      group = [];
    }
    group.push(row);
  }
  if (group.length) yield [group[0]!.snapshot, group];
}

function recordedFeed(db: HistoryReader, first: number, last: number): DriftFeed {
  const initial: DriftChanges = new Map(recordedDrift(db, first).map((item) => [driftKey(item), item]));
  function* changes(): Generator<[number, DriftChanges]> {
    for (const [snapshot, rows] of groupedBySnapshot(db.sourceVersionsAsRead('drift', first, last))) {
      yield [snapshot, new Map(rows.map((v) => [v.entity, v.value === null ? null : parseRecorded(v.entity, v.value)]))];
    }
  }
  return { initial, changes: changes() };
}

function liveFeed(db: HistoryReader, first: number, last: number): DriftFeed {
  const facts = loadClusterFacts(db, first);
  const raw = new RawDrift(facts);
  const initial = raw.recheck(fullScope(facts));
  function* changes(): Generator<[number, DriftChanges]> {
    for (const [snapshot, rows] of groupedBySnapshot<VersionRow>(db.versionsInRange(first, last, SOURCES))) {
      const touched = emptyTouched();
      for (const r of rows) applyFactChange(facts, { ...r, value: r.value === null ? null : JSON.parse(r.value) }, touched);
      yield [snapshot, raw.recheck(touched)];
    }
  }
  return { initial, changes: changes() };
}

function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** Snapshots the walk reads ahead at a time (see evaluate). */
const READ_AHEAD = 63;

function* driftSteps(db: HistoryReader, first: SnapshotMark, last: SnapshotMark, m: Marks, feed: DriftFeed, onEvaluate: () => void): Generator<DriftStep> {
  const failed = new Map<number, Set<SourceName>>();
  for (const f of db.failuresInRange(first.id, last.id, SOURCES)) {
    let s = failed.get(f.snapshot);
    if (!s) failed.set(f.snapshot, (s = new Set()));
    s.add(f.source);
  }
  const knownAt = (id: number) => new Set(SOURCES.filter((s) => !failed.get(id)?.has(s)));
  // Knowledge can only change at a failed snapshot or the one after it.
  const knowledgePoints = [...new Set([...failed.keys()].flatMap((id) => [id, m.after(id)?.id ?? Infinity]))]
    .filter((id) => id > first.id && id <= last.id)
    .sort((a, b) => a - b);

  const walk = new DriftWalk();
  walk.known = knownAt(first.id);
  onEvaluate();
  yield { point: { snapshot: first, prev: m.before(first.id) }, known: walk.known, changed: walk.update(feed.initial, false) };

  // The walk asks each changed snapshot's mark and the one before it, in id order: a stretch read
  // at once costs ~1 us a snapshot against ~15 a lookup, and a short one little where changes are sparse.
  let readTo = first.id;
  function* evaluate(id: number, raw: DriftChanges): Generator<DriftStep> {
    if (id > readTo) m.preloadBetween(id - 1, (readTo = Math.min(id + READ_AHEAD, last.id)));
    onEvaluate();
    const known = knownAt(id);
    const knowledgeChanged = !sameSet(known, walk.known);
    walk.known = known;
    const changed = walk.update(raw, knowledgeChanged);
    if (changed.size || knowledgeChanged) yield { point: { snapshot: m.mark(id), prev: m.before(id) }, known, changed };
  }

  let k = 0;
  function* knowledgeOnlyBefore(limit: number): Generator<DriftStep> {
    while (k < knowledgePoints.length && knowledgePoints[k]! < limit) yield* evaluate(knowledgePoints[k++]!, new Map());
    if (knowledgePoints[k] === limit) k++;
  }

  for (const [id, raw] of feed.changes) {
    yield* knowledgeOnlyBefore(id);
    yield* evaluate(id, raw);
  }
  yield* knowledgeOnlyBefore(Infinity);
}

/** The drift steps from `first` to `last`: from the record where it reaches, else from a live walk. */
export function driftStepsBetween(
  db: HistoryReader,
  first: SnapshotMark,
  last: SnapshotMark,
  onEvaluate: () => void = () => {},
  m: Marks = db.marks(),
): Iterable<DriftStep> {
  const feed = last.id <= recordedThrough(db) ? recordedFeed(db, first.id, last.id) : liveFeed(db, first.id, last.id);
  return driftSteps(db, first, last, m, feed, onEvaluate);
}

export function loadDriftHistory(db: HistoryReader, window: { since?: number; until?: number }): DriftHistoryReport {
  const { first, last } = db.windowSnapshots(window);
  let evaluations = 0;
  // One set of marks for both: the edges' neighbours were read by the walk.
  const m = db.marks();
  const episodes = flappedEpisodes(db, m, timedEpisodes(db, driftEpisodes(driftStepsBetween(db, first, last, () => evaluations++, m), last), m));
  return {
    window: { first, last },
    evaluations,
    total: episodes.length,
    open: episodes.filter((e) => e.endBy === null).length,
    counts: countKinds(episodes),
    episodes,
  };
}

/** The lowest and highest of `ids` (a spread of a year's edges would overflow Math.min's arguments). */
function extent(ids: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const id of ids) {
    if (id < lo) lo = id;
    if (id > hi) hi = id;
  }
  return [lo, hi];
}

/**
 * Every fact change (with the value it replaced, as a diff's deltas) at each of
 * the snapshots `ids`: one read of those snapshots, or one pass over their whole
 * range when they are most of it (a long window with many episodes).
 */
function changesAt(db: HistoryReader, ids: ReadonlySet<number>): Map<number, FactDelta[]> {
  const parse = (v: string | null): unknown => (v === null ? null : JSON.parse(v));
  const out = new Map<number, FactDelta[]>([...ids].map((id) => [id, []]));
  const [lo, hi] = extent(ids);
  const rows = ids.size * 2 > hi - lo + 1 ? db.versionsWithBeforeInRange(lo - 1, hi, SOURCES) : db.versionsWithBeforeAt([...ids], SOURCES);
  for (const r of rows) out.get(r.snapshot)?.push({ source: r.source, kind: r.kind, entity: r.entity, before: parse(r.before), after: parse(r.value) });
  return out;
}

/** Each host episode whose /missing or /hosts node ZooKeeper changed unseen while it lasted (episode-flaps.ts). */
function flappedEpisodes(db: HistoryReader, m: Marks, episodes: DriftEpisode[]): DriftEpisode[] {
  const paths = episodes.map(flapPathsOf);
  const all = [...new Set(paths.flat())];
  if (!all.length) return episodes;
  const [lo, hi] = extent(episodes.flatMap((e, i) => (paths[i]!.length ? [e.start.by.id, (e.endBy ?? e.lastSeen).id] : [])));
  const hidden = hiddenAtPaths(db, m, all, lo, hi, () => loadWatched(db, m, lo, hi, ['zk.missing', 'zk.hosts']));
  if (!hidden.length) return episodes;
  return episodes.map((e, i) => {
    const f = mayHaveFlapped(hidden, paths[i]!, e.start.by.id, (e.endBy ?? e.lastSeen).id);
    return f ? { ...e, mayHaveFlapped: f } : e;
  });
}

/** Those of the snapshots `ids` that recorded a ZooKeeper Stat: one pass over the Stats of their range. */
function withStats(db: HistoryReader, ids: ReadonlySet<number>): Set<number> {
  const out = new Set<number>();
  const [lo, hi] = extent(ids);
  for (const v of db.sourceVersionsAsRead('zk.stat', lo - 1, hi)) if (ids.has(v.snapshot)) out.add(v.snapshot);
  return out;
}

/** The owner of each leaf as `/roles` held it at snapshot `id` (read once per leaf asked). */
function ownersAt(db: HistoryReader, id: number): (leaf: string) => string | null {
  const cache = new Map<string, string | null>();
  return (leaf) => {
    if (!cache.has(leaf)) {
      const v = db.versionsOfEntities('zk.roles', 'leaf', [leaf], id, id).get(leaf)?.at(-1)?.value ?? null;
      cache.set(leaf, v === null ? null : (JSON.parse(v) as LeafValue).owner);
    }
    return cache.get(leaf)!;
  };
}

type Edge = { episode: DriftEpisode; side: 'start' | 'end'; at: number; node: StatPath };

/**
 * Each episode's start (and end) at the time of the one ZooKeeper write that
 * made (or ended) it, where its Stat proves it (episode-times.ts); the
 * bounds stay. Reads the changes at each edge's snapshot, and per snapshot the
 * Stats of the nodes written there, from the one recorded before on. Only a
 * Stat recorded in the edge's own collection proves a write (singleWrite), so
 * edges at snapshots that recorded none are never timed and cost one read of
 * the window's Stats, not a read of their changes.
 */
function timedEpisodes(db: HistoryReader, episodes: DriftEpisode[], m: Marks): DriftEpisode[] {
  const edgeIds = new Set(episodes.flatMap((e) => [...(e.start.after ? [e.start.by.id] : []), ...(e.endBy ? [e.endBy.id] : [])]));
  if (!edgeIds.size) return episodes;
  const wanted = withStats(db, edgeIds);
  if (!wanted.size) return episodes;
  const changes = changesAt(db, wanted);
  const owners = new Map<number, (leaf: string) => string | null>();
  const edges: Edge[] = [];
  // Only an edge between two adjacent collections: a change seen in a collection between them
  // (while a compared source was unknown) may be what made it.
  const edge = (episode: DriftEpisode, side: Edge['side'], at: number, bound: SnapshotMark) => {
    if (!wanted.has(at) || m.before(at)?.id !== bound.id) return;
    if (!owners.has(at)) owners.set(at, ownersAt(db, at));
    const node = writtenNode(changes.get(at)!.filter((c) => concernsItem(episode, c)), owners.get(at)!);
    if (node) edges.push({ episode, side, at, node });
  };
  for (const e of episodes) {
    if (e.start.after) edge(e, 'start', e.start.by.id, e.start.after);
    if (e.endBy) edge(e, 'end', e.endBy.id, e.lastSeen);
  }
  if (!edges.length) return episodes;
  const stats = new Map<number, Map<string, { snapshot: number; value: string | null }[]>>();
  for (const at of new Set(edges.map((x) => x.at))) {
    const paths = [...new Set(edges.filter((x) => x.at === at).map((x) => x.node.path))];
    stats.set(at, db.versionsOfEntities('zk.stat', 'stat', paths, at, at - 1));
  }
  const timed = new Map(episodes.map((e) => [e, e]));
  for (const { episode, side, at, node } of edges) {
    const versions = stats.get(at)!.get(node.path) ?? [];
    const parse = (v: { value: string | null } | undefined) => (v?.value ? (JSON.parse(v.value) as ZkStat) : null);
    const write = singleWrite(node, parse(versions.find((v) => v.snapshot === at)), parse(versions.filter((v) => v.snapshot < at).at(-1)));
    const e = timed.get(episode)!;
    if (side === 'start') {
      const exact = withinEdge(write, e.start.after, e.start.by);
      if (exact) timed.set(episode, { ...e, start: { ...e.start, exact } });
    } else {
      const exact = withinEdge(write, e.lastSeen, e.endBy!);
      if (exact) timed.set(episode, { ...e, endExact: exact });
    }
  }
  return episodes.map((e) => timed.get(e)!);
}
