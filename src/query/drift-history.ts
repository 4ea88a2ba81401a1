// Drift items as episodes over a window (pure). Input is a stream of steps,
// one per snapshot where something changed (facts or which sources were
// read); between steps nothing changes, so an item's state holds until the
// next step. An episode opens when an item is drift and closes only when it
// is seen gone with every compared source read: "cannot compare" and stale
// absences leave it open, and its bounds name the reads around each edge.
import type { SourceName } from '../snapshot/source-name.js';
import { compareDriftItems, type DriftItem, type DriftKind } from './drift.js';
import type { MayHaveFlapped } from './episode-flaps.js';
import { durationBounds, type DurationBounds, type ExactTime, type SnapshotMark, type TimeBounds } from '../model/snapshot-mark.js';

/** A snapshot where something changed, and the snapshot just before it (the end of the previous step). */
export interface EvalPoint {
  snapshot: SnapshotMark;
  prev: SnapshotMark | null;
}

export interface ItemState {
  status: 'drift' | 'cannot_compare';
  item: DriftItem;
}

export interface DriftStep {
  point: EvalPoint;
  /** Sources read OK in this snapshot. */
  known: ReadonlySet<SourceName>;
  /** Items whose state changed at this point (keyed by driftKey): the new state, or null when no longer reported. */
  changed: ReadonlyMap<string, ItemState | null>;
}

export interface DriftEpisode {
  kind: DriftKind;
  ids: string[];
  sources: SourceName[];
  /** What each source said when the episode was first seen. */
  sides: Partial<Record<SourceName, unknown>>;
  /** after: the last snapshot before, with every compared source read, where it did not drift (null: none in the window). */
  start: TimeBounds;
  /** The last snapshot where it was seen drifting. */
  lastSeen: SnapshotMark;
  /** The first snapshot seen without it (all compared sources read); null: still open at the window's end. */
  endBy: SnapshotMark | null;
  /** When it ended, where one ZooKeeper write proves it (between `lastSeen` and `endBy`; episode-times.ts). */
  endExact?: ExactTime;
  duration: DurationBounds;
  /** ZooKeeper counted changes of the nodes behind the item while it lasted that nobody saw (episode-flaps.ts); only when any. */
  mayHaveFlapped?: MayHaveFlapped;
}

interface Open {
  item: DriftItem;
  start: TimeBounds;
  lastSeen: SnapshotMark;
}

interface Track {
  state: 'drift' | 'cannot_compare' | 'none';
  sources: SourceName[];
  open: Open | null;
}

/** Knowledge is constant from `start` until the next segment; `prevEnd` is the snapshot before `start`. */
interface Segment {
  start: SnapshotMark;
  prevEnd: SnapshotMark | null;
  known: ReadonlySet<SourceName>;
}

function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

function allIn(sources: readonly SourceName[], known: ReadonlySet<SourceName>): boolean {
  return sources.every((s) => known.has(s));
}

/**
 * The last snapshot before `point` where every one of `sources` was read.
 * An item not open at `point` was, at that snapshot, known not to drift
 * (had it drifted there, its episode could only have closed at a later
 * snapshot with all its sources read).
 */
function lastAllKnownBefore(segments: readonly Segment[], sources: readonly SourceName[], point: EvalPoint): SnapshotMark | null {
  for (let i = segments.length - 1; i >= 0; i--) {
    const seg = segments[i]!;
    const end = i === segments.length - 1 ? (seg.start.id < point.snapshot.id ? point.prev : null) : segments[i + 1]!.prevEnd;
    if (end && allIn(sources, seg.known)) return end;
  }
  return null;
}

function finish(o: Open, endBy: SnapshotMark | null): DriftEpisode {
  const { kind, ids, sources, sides } = o.item;
  return { kind, ids, sources, sides, start: o.start, lastSeen: o.lastSeen, endBy, duration: durationBounds(o.start, o.lastSeen, endBy) };
}

/** Applies one item's new state at `point`; returns its episode if that closes it. */
function advance(t: Track, next: ItemState | null, point: EvalPoint, known: ReadonlySet<SourceName>, segments: readonly Segment[]): DriftEpisode | null {
  const state = next?.status ?? 'none';
  if (next) t.sources = next.item.sources;
  if (next && state === 'drift' && !t.open) {
    t.open = { item: next.item, start: { after: lastAllKnownBefore(segments, t.sources, point), by: point.snapshot }, lastSeen: point.snapshot };
  }
  if (state !== 'drift' && t.state === 'drift' && t.open) t.open.lastSeen = point.prev ?? point.snapshot;
  t.state = state;
  return state === 'none' ? closeIfKnown(t, point, known) : null;
}

/** An episode ends only where its item is seen gone with every compared source read. */
function closeIfKnown(t: Track, point: EvalPoint, known: ReadonlySet<SourceName>): DriftEpisode | null {
  if (!t.open || !allIn(t.sources, known)) return null;
  const episode = finish(t.open, point.snapshot);
  t.open = null;
  return episode;
}

/** `end`: the window's last snapshot (an item still drifting there was last seen there). */
export function driftEpisodes(steps: Iterable<DriftStep>, end: SnapshotMark): DriftEpisode[] {
  const done: DriftEpisode[] = [];
  const tracks = new Map<string, Track>();
  const segments: Segment[] = [];
  for (const { point, known, changed } of steps) {
    const last = segments[segments.length - 1];
    const knowledgeChanged = !last || !sameSet(last.known, known);
    if (knowledgeChanged) segments.push({ start: point.snapshot, prevEnd: point.prev, known });
    for (const [key, next] of changed) {
      let t = tracks.get(key);
      if (!t && !next) continue;
      if (!t) tracks.set(key, (t = { state: 'none', sources: next!.item.sources, open: null }));
      const closed = advance(t, next, point, known, segments);
      if (closed) done.push(closed);
      if (t.state === 'none' && !t.open) tracks.delete(key);
    }
    // Sources read again can confirm that an item gone while they were unknown is really gone.
    if (!knowledgeChanged) continue;
    for (const [key, t] of tracks) {
      if (changed.has(key) || t.state !== 'none') continue;
      const closed = closeIfKnown(t, point, known);
      if (closed) done.push(closed);
      if (!t.open) tracks.delete(key);
    }
  }
  for (const t of tracks.values()) {
    if (!t.open) continue;
    if (t.state === 'drift') t.open.lastSeen = end;
    done.push(finish(t.open, null));
  }
  return done.sort((a, b) => a.start.by.id - b.start.by.id || compareDriftItems(a, b));
}
