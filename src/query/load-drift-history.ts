// `drift --since T [--until T]` (I/O glue). Reads the full state once, at the
// window's first snapshot, then walks the versions of the window forward in
// snapshot order (from_snapshot index). At each snapshot where facts changed
// only the entities those facts touch are re-checked; when the set of
// sources read changes, the current items are re-classified. Snapshots where
// nothing changed cost nothing.
import { SOURCES, type SourceName } from '../snapshot/source-name.js';
import type { Db } from '../store/open-database.js';
import { applyFactChange, emptyTouched } from './cluster-facts.js';
import { driftEpisodes, type DriftEpisode, type DriftStep } from './drift-history.js';
import { DriftWalk } from './drift-walk.js';
import { fullScope, type DriftKind } from './drift.js';
import { loadClusterFacts } from './load-cluster-facts.js';
import { countKinds } from './load-drift.js';
import type { SnapshotMark } from './snapshot-mark.js';
import { marks, windowSnapshots, type Marks } from './snapshot-marks.js';
import { failuresInRange, versionsInRange, type VersionRow } from './version-reads.js';

export interface DriftHistoryReport {
  window: { first: SnapshotMark; last: SnapshotMark };
  /** Snapshots in the window where something changed, so drift was re-checked. */
  evaluations: number;
  total: number;
  open: number;
  counts: Partial<Record<DriftKind, number>>;
  episodes: DriftEpisode[];
}

function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

function* driftSteps(db: Db, first: SnapshotMark, last: SnapshotMark, m: Marks, onEvaluate: () => void): Generator<DriftStep> {
  const facts = loadClusterFacts(db, first.id);
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

  const walk = new DriftWalk(facts);
  walk.known = knownAt(first.id);
  onEvaluate();
  yield { point: { snapshot: first, prev: m.before(first.id) }, known: walk.known, changed: walk.update(fullScope(facts), false) };

  function* evaluate(id: number, rows: readonly VersionRow[]): Generator<DriftStep> {
    onEvaluate();
    const touched = emptyTouched();
    for (const r of rows) {
      applyFactChange(facts, { source: r.source, kind: r.kind, entity: r.entity, value: r.value === null ? null : JSON.parse(r.value) }, touched);
    }
    const known = knownAt(id);
    const knowledgeChanged = !sameSet(known, walk.known);
    walk.known = known;
    const changed = walk.update(touched, knowledgeChanged);
    if (changed.size || knowledgeChanged) yield { point: { snapshot: m.mark(id), prev: m.before(id) }, known, changed };
  }

  let k = 0;
  function* knowledgeOnlyBefore(limit: number): Generator<DriftStep> {
    while (k < knowledgePoints.length && knowledgePoints[k]! < limit) yield* evaluate(knowledgePoints[k++]!, []);
    if (knowledgePoints[k] === limit) k++;
  }

  let groupId = -1;
  let group: VersionRow[] = [];
  for (const row of versionsInRange(db, first.id, last.id)) {
    if (row.snapshot !== groupId && group.length) {
      yield* knowledgeOnlyBefore(groupId);
      yield* evaluate(groupId, group);
      group = [];
    }
    groupId = row.snapshot;
    group.push(row);
  }
  if (group.length) {
    yield* knowledgeOnlyBefore(groupId);
    yield* evaluate(groupId, group);
  }
  yield* knowledgeOnlyBefore(Infinity);
}

export function loadDriftHistory(db: Db, window: { since?: number; until?: number }): DriftHistoryReport {
  const { first, last } = windowSnapshots(db, window);
  let evaluations = 0;
  const episodes = driftEpisodes(driftSteps(db, first, last, marks(db), () => evaluations++), last);
  return {
    window: { first, last },
    evaluations,
    total: episodes.length,
    open: episodes.filter((e) => e.endBy === null).length,
    counts: countKinds(episodes),
    episodes,
  };
}
