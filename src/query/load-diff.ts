// `diff A B` (I/O glue): the facts with a version between A and B (through the
// from_snapshot index), their values at A and at B, and the few service
// member facts leaders need. Cost follows the number of changed facts.
import type { MemberValue } from '../snapshot/fact.js';
import type { SourceName } from '../snapshot/source-name.js';
import { ID_ONLY_MARKS, type HistoryReader, type SnapshotRow, type WatchRecordPart } from '../store/index.js';
import { SOURCES } from '../snapshot/source-name.js';
import { childrenNamed, loadWatchedOf, watchedChangesOf } from './load-watched-of.js';
import type { WatchTimelineEvent } from './watched-events.js';
import { childNodeOf, watchedChildTimes } from './watched-times.js';
import { diffHiddenChanges, type DiffHiddenChanges, type SeenChange, seenChangesIndex, type StatChange } from './hidden-changes.js';
import { statSourceOf } from '../snapshot/zk-stat-facts.js';
import type { ZkStat } from '../model/zk-stat.js';
import type { FactDelta } from './classify-change.js';
import { exactTimes } from './exact-time.js';
import { statPathOf } from './stat-path.js';
import { diffFacts, type DiffResult } from './diff.js';
import { loadKnowledge } from './load-cluster-facts.js';
import type { SnapshotMark } from '../model/snapshot-mark.js';
import { byKind } from './tree-from-facts.js';

export interface DiffReport extends DiffResult {
  from: SnapshotMark;
  to: SnapshotMark;
  /** Nodes ZooKeeper changed more often between the two than the diff shows (only when any; forward only). */
  hidden?: DiffHiddenChanges[];
}

function members(db: HistoryReader, snapshotId: number): Map<string, MemberValue> {
  return byKind<MemberValue>(db.readSourceFacts('zk.services', snapshotId), 'member');
}

/**
 * Each delta's exact time where ZooKeeper proves it: the node's Stat recorded
 * with the version that holds at `to` (the first read of the later value).
 * Only forward (`from` before `to`): a diff read backwards has no later write to time.
 */
function timedDeltas(db: HistoryReader, deltas: FactDelta[], from: number, to: number): FactDelta[] {
  const wanted = from < to ? deltas.filter((d) => statPathOf(d)) : [];
  if (!wanted.length) return deltas;
  const firstRead = new Map<FactDelta, number>();
  const groups = new Map<string, FactDelta[]>();
  for (const d of wanted) {
    const key = `${d.source}\u0000${d.kind}`;
    const group = groups.get(key);
    if (group) group.push(d);
    else groups.set(key, [d]);
  }
  for (const group of groups.values()) {
    const { source, kind } = group[0]!;
    const since = db.holdingSince(source, kind, group.map((d) => d.entity), to);
    for (const d of group) firstRead.set(d, since.get(d.entity) ?? to);
  }
  // Only the Stat recorded with each first read can time it: read exactly those.
  const statAt = wanted.map((d) => [statPathOf(d)!.path, firstRead.get(d)!] as const);
  const exact = exactTimes(wanted, statPathOf, (d) => firstRead.get(d)!, () => db.versionsAt('zk.stat', 'stat', statAt));
  const byDelta = new Map(wanted.map((d, i) => [d, exact[i]]));
  return deltas.map((d) => (byDelta.get(d) ? { ...d, exact: byDelta.get(d) } : d));
}

/**
 * Each removal's time where the daemon's watcher saw the node deleted (watched-times.ts):
 * when the event arrived, on treesnap's clock. Forward only, as timedDeltas.
 * `watched` reads the parents' children events naming the removed children.
 */
function watchedRemovals(watched: (parts: WatchRecordPart[]) => WatchTimelineEvent[], deltas: FactDelta[], from: SnapshotMark, to: SnapshotMark): FactDelta[] {
  const wanted = from.id < to.id ? deltas.filter((d) => d.after === null && !d.exact && childNodeOf(d)) : [];
  if (!wanted.length) return deltas;
  const children = wanted.map((d) => childNodeOf(d)!);
  const names = new Map<string, string[]>();
  for (const c of children) (names.get(c.parent) ?? names.set(c.parent, []).get(c.parent)!).push(c.name);
  const events = watched([...names].map(([parent, n]) => childrenNamed(parent, n)));
  if (!events.length) return deltas;
  const times = watchedChildTimes(events, children, false, from, to);
  const timed = new Map(wanted.map((d, i) => [d, times[i]]));
  return deltas.map((d) => (timed.get(d) ? { ...d, exact: timed.get(d)! } : d));
}

/**
 * The chosen sources' nodes whose Stat moved between the two further than `deltas` explain, with what the watcher saw of it:
 * whether a node's Stat moved further does not depend on what was watched, so the watched record is counted for those nodes only.
 */
function hiddenBetween(db: HistoryReader, deltas: readonly FactDelta[], from: SnapshotMark, to: SnapshotMark, sources: readonly SourceName[]): DiffHiddenChanges[] {
  if (from.id >= to.id) return [];
  const seenAt = seenChangesIndex(deltas);
  const moved: { change: StatChange; seen: readonly SeenChange[] }[] = [];
  for (const c of db.changedKeys(from.id, to.id, ['zk.stat' as SourceName])) {
    const source = statSourceOf(c.entity);
    if (!source || !sources.includes(source) || c.before === null || c.after === null) continue;
    const change = { path: c.entity, before: JSON.parse(c.before) as ZkStat, after: JSON.parse(c.after) as ZkStat, previous: from, snapshot: to };
    const seen = seenAt(change.path);
    if (diffHiddenChanges(change, seen, 0)) moved.push({ change, seen });
  }
  const watched = watchedChangesOf(db, from.id, to.id, moved.map((m) => m.change.path), sources);
  return moved.map(({ change, seen }) => diffHiddenChanges(change, seen, watched.get(change.path)!)!).sort((a, b) => a.path.localeCompare(b.path));
}

export function loadDiff(db: HistoryReader, from: SnapshotRow, to: SnapshotRow, sources: readonly SourceName[]): DiffReport {
  const raw = db.changedKeys(from.id, to.id, sources).map(
    (c): FactDelta => ({
      source: c.source,
      kind: c.kind,
      entity: c.entity,
      before: c.before === null ? null : JSON.parse(c.before),
      after: c.after === null ? null : JSON.parse(c.after),
    }),
  );
  const marksOf = (s: SnapshotRow): SnapshotMark => ({ id: s.id, startedAt: s.startedAt });
  // Only the parts of the range's watched record that a removal asks for. A removal's time is its
  // event's own (watched-times.ts), and events are placed in their intervals by snapshot id alone:
  // no snapshot's time is read (two seeks per version, a year: ~2,000 versions, ~45 ms).
  const watched = (parts: WatchRecordPart[]) => loadWatchedOf(db, ID_ONLY_MARKS, from.id, to.id, SOURCES, parts);
  const deltas = watchedRemovals(watched, timedDeltas(db, raw, from.id, to.id), marksOf(from), marksOf(to));
  const result = diffFacts({
    sources,
    deltas,
    members: sources.includes('zk.services') ? { before: members(db, from.id), after: members(db, to.id) } : null,
    knowledge: { from: loadKnowledge(db, from.id), to: loadKnowledge(db, to.id) },
  });
  const hidden = hiddenBetween(db, raw, marksOf(from), marksOf(to), sources);
  return { from: marksOf(from), to: marksOf(to), ...result, ...(hidden.length ? { hidden } : {}) };
}
