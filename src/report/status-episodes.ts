// Probe verdicts as episodes (pure): each run of one verdict other than
// ONLINE, per node, from the timeline's status flips. A flip is only known to
// lie between two status reads, so each edge keeps both bounds.
import type { NodeStatus } from '../model/status.js';
import type { ChangeEvent } from '../query/change-event.js';
import { durationBounds, type SnapshotMark, type TimeBounds } from '../model/snapshot-mark.js';
import type { StatusEpisode } from './report-model.js';

export interface StatusFlip {
  node: string;
  at: TimeBounds;
  before: NodeStatus | null;
  after: NodeStatus | null;
}

/** The status flips among timeline events, in their order. */
export function statusFlips(events: readonly { type: string }[]): StatusFlip[] {
  const out: StatusFlip[] = [];
  for (const e of events) {
    if (e.type !== 'change') continue;
    const c = (e as ChangeEvent).change;
    if (c.category === 'status_changed') out.push({ node: c.id, at: (e as ChangeEvent).at, before: c.before, after: c.after });
  }
  return out;
}

export interface StatusEpisodeInput {
  first: SnapshotMark;
  /** Each node's verdict at the window's first collection (as last read there). */
  initial: ReadonlyMap<string, NodeStatus | null>;
  /** Flips in time order; those seen at `first` are already part of `initial`. */
  flips: readonly StatusFlip[];
  /** The last successful status read of the window (how far an open episode is seen); null: none. */
  lastRead: SnapshotMark | null;
}

type Open = Pick<StatusEpisode, 'node' | 'status' | 'start'>;

const later = (a: SnapshotMark, b: SnapshotMark): SnapshotMark => (a.id >= b.id ? a : b);

function opens(node: string, status: NodeStatus | null, start: TimeBounds): Open | null {
  return status === null || status === 'ONLINE' ? null : { node, status, start };
}

function close(o: Open, flip: StatusFlip): StatusEpisode {
  const lastSeen = later(flip.at.after ?? o.start.by, o.start.by);
  return { ...o, lastSeen, endBy: flip.at.by, endedAs: flip.after, duration: durationBounds(o.start, lastSeen, flip.at.by) };
}

/** Episodes ordered by start, then node. */
export function statusEpisodes(input: StatusEpisodeInput): StatusEpisode[] {
  const out: StatusEpisode[] = [];
  const open = new Map<string, Open>();
  for (const [node, status] of input.initial) {
    const o = opens(node, status, { after: null, by: input.first });
    if (o) open.set(node, o);
  }
  for (const f of input.flips) {
    if (f.at.by.id <= input.first.id) continue;
    const o = open.get(f.node);
    if (o) {
      out.push(close(o, f));
      open.delete(f.node);
    }
    const next = opens(f.node, f.after, f.at);
    if (next) open.set(f.node, next);
  }
  for (const o of open.values()) {
    const lastSeen = input.lastRead ? later(input.lastRead, o.start.by) : o.start.by;
    out.push({ ...o, lastSeen, endBy: null, duration: durationBounds(o.start, lastSeen, null) });
  }
  return out.sort((a, b) => a.start.by.id - b.start.by.id || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
}
