// `drift --since T [--until T]` (I/O glue). The drift items at the window's
// first snapshot, then how they changed, snapshot by snapshot, come from one
// of two feeds: the recorded drift (src/record/record-drift.ts: a few rows per change),
// or, where the window reaches past the record, a live walk that reads the
// full state once and re-checks only the entities each version touches. When
// the set of sources read changes, the current items are re-classified.
// Snapshots where nothing changed cost nothing.
import { SOURCES, type SourceName } from '../snapshot/source-name.js';
import { type Db, failuresInRange, marks, type Marks, sourceVersions, type VersionRow, versionsInRange, windowSnapshots } from '../store/index.js';
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

function recordedFeed(db: Db, first: number, last: number): DriftFeed {
  const initial: DriftChanges = new Map(recordedDrift(db, first).map((item) => [driftKey(item), item]));
  function* changes(): Generator<[number, DriftChanges]> {
    for (const [snapshot, rows] of groupedBySnapshot(sourceVersions(db, 'drift', first, last))) {
      yield [snapshot, new Map(rows.map((v) => [v.entity, v.value === null ? null : parseRecorded(v.entity, v.value)]))];
    }
  }
  return { initial, changes: changes() };
}

function liveFeed(db: Db, first: number, last: number): DriftFeed {
  const facts = loadClusterFacts(db, first);
  const raw = new RawDrift(facts);
  const initial = raw.recheck(fullScope(facts));
  function* changes(): Generator<[number, DriftChanges]> {
    for (const [snapshot, rows] of groupedBySnapshot<VersionRow>(versionsInRange(db, first, last, SOURCES))) {
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

function* driftSteps(db: Db, first: SnapshotMark, last: SnapshotMark, m: Marks, feed: DriftFeed, onEvaluate: () => void): Generator<DriftStep> {
  const failed = new Map<number, Set<SourceName>>();
  for (const f of failuresInRange(db, first.id, last.id, SOURCES)) {
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

  function* evaluate(id: number, raw: DriftChanges): Generator<DriftStep> {
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
export function driftStepsBetween(db: Db, first: SnapshotMark, last: SnapshotMark, onEvaluate: () => void = () => {}): Iterable<DriftStep> {
  const feed = last.id <= recordedThrough(db) ? recordedFeed(db, first.id, last.id) : liveFeed(db, first.id, last.id);
  return driftSteps(db, first, last, marks(db), feed, onEvaluate);
}

export function loadDriftHistory(db: Db, window: { since?: number; until?: number }): DriftHistoryReport {
  const { first, last } = windowSnapshots(db, window);
  let evaluations = 0;
  const episodes = driftEpisodes(driftStepsBetween(db, first, last, () => evaluations++), last);
  return {
    window: { first, last },
    evaluations,
    total: episodes.length,
    open: episodes.filter((e) => e.endBy === null).length,
    counts: countKinds(episodes),
    episodes,
  };
}
