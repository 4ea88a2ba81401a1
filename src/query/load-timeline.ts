// `timeline --since T --until T` (I/O glue): the versions starting in the
// window (from_snapshot index) with the values they replaced, the failed
// reads in the window and the reads that ended them, and the service
// members at the window's start (for leader changes). Versions written by a
// source's first successful read are its initial state, not changes.
import { SOURCES, type SourceName } from '../snapshot/source-name.js';
import type { MemberValue } from '../snapshot/fact.js';
import type { StatusSummary } from '../snapshot/fact-summary.js';
import { type HistoryReader, type Marks } from '../store/index.js';
import { exactTimes } from './exact-time.js';
import { statPathOf } from './stat-path.js';
import { hiddenChanges, watchedChangeCounts, type HiddenChangesEvent } from './hidden-changes.js';
import { statSourceOf } from '../snapshot/zk-stat-facts.js';
import { markedRow, unwatchedAtStart } from './load-watched-of.js';
import type { ZkStat } from '../model/zk-stat.js';
import type { VersionRecord } from './change-event.js';
import type { SnapshotMark } from '../model/snapshot-mark.js';
import { byKind } from './tree-from-facts.js';
import { timeline, type OutcomeRecord, type Timeline } from './timeline.js';
import { watchTimelineEvents, type WatchRecordRow, type WatchTimelineEvent } from './watched-events.js';

export interface TimelineReport extends Timeline {
  window: { first: SnapshotMark; last: SnapshotMark };
  sources: SourceName[];
}

function parse(v: string | null): unknown {
  return v === null ? null : JSON.parse(v);
}

const VERDICTS = new Map<string, StatusSummary>();

/**
 * A probe's result as the timeline uses it: its verdict alone (a status
 * change is a change of verdict, classify-change.ts; hidden-changes.ts only
 * asks whether a value is there), one shared object per verdict. The whole
 * history of the bench's year (525,600 snapshots) holds 872,970 status
 * versions, each read with the value it replaced: kept whole, with their
 * addresses and messages, its `timeline` peaked at 1,089 MB, 815 without.
 */
function parseVerdict(v: string | null): StatusSummary | null {
  if (v === null) return null;
  const { status } = JSON.parse(v) as StatusSummary;
  let shared = VERDICTS.get(status);
  if (!shared) VERDICTS.set(status, (shared = Object.freeze({ status })));
  return shared;
}

export function loadTimeline(db: HistoryReader, window: { since?: number; until?: number }, sources: readonly SourceName[] = SOURCES): TimelineReport {
  const { first, last } = db.windowSnapshots(window);
  const m = db.marks();
  const versions: VersionRecord[] = [];
  const members = byKind<MemberValue>(db.readSourceFacts('zk.services', first.id - 1), 'member');
  for (const r of db.versionsWithBeforeInRange(first.id - 1, last.id, sources)) {
    const previousOk = m.previousOk(r.source, r.snapshot);
    // A source's first successful read is where its facts begin, not a change;
    // its members still seed the leader tracking.
    if (previousOk === null) {
      if (r.source === 'zk.services' && r.kind === 'member' && r.value !== null) members.set(r.entity, JSON.parse(r.value) as MemberValue);
      continue;
    }
    versions.push({
      snapshot: m.mark(r.snapshot),
      previousOk,
      source: r.source,
      kind: r.kind,
      entity: r.entity,
      before: r.kind === 'status' ? parseVerdict(r.before) : parse(r.before),
      after: r.kind === 'status' ? parseVerdict(r.value) : parse(r.value),
    });
  }
  const outcomes: OutcomeRecord[] = [];
  const lastFailure = new Map<string, number>();
  for (const f of db.failuresInRange(first.id, last.id, sources)) {
    outcomes.push({
      snapshot: m.mark(f.snapshot),
      source: f.source,
      ok: false,
      error: { kind: f.errorKind ?? 'unknown', message: f.errorMessage ?? '' },
      before: m.previousOk(f.source, f.snapshot),
    });
    const okAfter = db.firstOkAfter(f.source, f.snapshot);
    if (okAfter !== null && okAfter <= last.id) lastFailure.set(`${f.source}\u0000${okAfter}`, f.snapshot);
  }
  for (const [key, failedAt] of lastFailure) {
    const [source, id] = key.split('\u0000') as [SourceName, string];
    outcomes.push({ snapshot: m.mark(Number(id)), source, ok: true, error: null, before: m.mark(failedAt) });
  }
  // Only a Stat recorded in the change's own snapshot proves its time (exact-time.ts): the window's, from the one holding at its start.
  const exact = exactTimes(versions, statPathOf, (v) => v.snapshot.id, (paths) => db.versionsOfEntities('zk.stat', 'stat', paths, last.id, first.id));
  const timedVersions = versions.map((v, i) => (exact[i] ? { ...v, exact: exact[i] } : v));
  const watched = loadWatched(db, m, first.id - 1, last.id, sources);
  const hidden = hiddenInWindow(db, m, first.id - 1, last.id, versions, sources, watched);
  return { window: { first, last }, sources: [...sources], ...timeline(timedVersions, outcomes, members, hidden, watched) };
}

/** What the daemon's watcher recorded for the intervals that snapshots (afterId, toId] close. */
export function loadWatched(db: HistoryReader, m: Marks, afterId: number, toId: number, sources: readonly SourceName[]): WatchTimelineEvent[] {
  const rows: WatchRecordRow[] = [];
  // Ticks without a watcher that began before the window and still run at its start, from where they began.
  const start = unwatchedAtStart(db, afterId);
  if (start) rows.push(markedRow(m, start));
  for (const r of db.versionsWithBeforeInRange(afterId, toId, ['zk.watch'])) {
    rows.push(markedRow(m, r));
  }
  return watchTimelineEvents(rows, sources);
}

/** Changes ZooKeeper's Stat records count but no collection saw, at the chosen sources' nodes (hidden-changes.ts). */
function hiddenInWindow(
  db: HistoryReader,
  m: Marks,
  afterId: number,
  toId: number,
  seen: readonly VersionRecord[],
  sources: readonly SourceName[],
  watched: readonly WatchTimelineEvent[],
): HiddenChangesEvent[] {
  const watchedCounts = watchedChangeCounts(watched);
  const seenAt = new Map<number, VersionRecord[]>();
  for (const v of seen) (seenAt.get(v.snapshot.id) ?? seenAt.set(v.snapshot.id, []).get(v.snapshot.id)!).push(v);
  const out: HiddenChangesEvent[] = [];
  for (const r of db.versionsWithBeforeInRange(afterId, toId, ['zk.stat'])) {
    const source = statSourceOf(r.entity);
    if (!source || !sources.includes(source) || r.before === null || r.value === null) continue;
    const previous = m.previousOk(source, r.snapshot);
    if (!previous) continue;
    const change = { path: r.entity, before: JSON.parse(r.before) as ZkStat, after: JSON.parse(r.value) as ZkStat, previous, snapshot: m.mark(r.snapshot) };
    const e = hiddenChanges(change, seenAt.get(r.snapshot) ?? [], watchedCounts.get(`${r.snapshot}\u0000${r.entity}`) ?? 0);
    if (e) out.push(e);
  }
  return out;
}
