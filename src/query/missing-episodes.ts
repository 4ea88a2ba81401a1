// Missing-host episodes from the versions of one /missing entry (pure). The
// store writes a version only at a successful /missing read, so a version at
// snapshot S says: at S it was seen (or seen gone), and at the last successful
// read before S it was not. Those two reads bound each edge of an episode,
// however many failed reads lie between them.
import type { NodeStatus } from '../model/status.js';
import type { MayHaveFlapped } from './episode-flaps.js';
import { durationBounds, type DurationBounds, type ExactTime, type SnapshotMark, type TimeBounds } from '../model/snapshot-mark.js';

export interface MissingVersion {
  snapshot: SnapshotMark;
  /** true: /missing/<host> appeared; false: it went away. */
  present: boolean;
  /** The last snapshot before this one where /missing was read successfully. */
  previousOk: SnapshotMark | null;
}

/** A version of the host's probe verdict (null: no longer probed). */
export interface StatusVersion {
  snapshot: SnapshotMark;
  status: NodeStatus | null;
}

/** What the probes said from `from` on (until the next run or the episode's end). */
export interface ProbeRun {
  status: NodeStatus | null;
  from: SnapshotMark;
}

export interface MissingEpisode {
  host: string;
  /** Reported missing after `start.after` and by `start.by` (the first read that saw it). */
  start: TimeBounds;
  /** The last read that saw it missing (for an open episode: the latest successful read). */
  lastSeen: SnapshotMark;
  /** The first read that saw it gone; null: still missing. */
  endBy: SnapshotMark | null;
  /** When it was withdrawn, where the daemon's watcher saw /missing/<host> deleted (only then present; watched-times.ts). */
  endExact?: ExactTime;
  duration: DurationBounds;
  /** ZooKeeper counted changes of /missing/<host> while it lasted that nobody saw (episode-flaps.ts); only when any. */
  mayHaveFlapped?: MayHaveFlapped;
  /** Probe verdicts from the first to the last read that saw it missing, as runs. */
  probes: ProbeRun[];
  /** Some probe found it ONLINE while it was listed missing (a false alarm?). */
  answeredProbe: boolean;
}

/** Probe verdict runs covering snapshots first..last (inclusive). */
export function probeRuns(status: readonly StatusVersion[], first: SnapshotMark, last: SnapshotMark): ProbeRun[] {
  const runs: ProbeRun[] = [];
  let holding: NodeStatus | null | undefined;
  for (const v of status) {
    if (v.snapshot.id <= first.id) holding = v.status;
    else if (v.snapshot.id <= last.id) {
      if (!runs.length) runs.push({ status: holding ?? null, from: first });
      if (runs[runs.length - 1]!.status !== v.status) runs.push({ status: v.status, from: v.snapshot });
    }
  }
  if (!runs.length) runs.push({ status: holding ?? null, from: first });
  return runs;
}

/** The episode with what the probes said while it lasted: `status`, the host's probe versions in snapshot order (at least those over the episode). */
export function withProbes(e: MissingEpisode, status: readonly StatusVersion[]): MissingEpisode {
  const probes = probeRuns(status, e.start.by, e.lastSeen);
  return { ...e, probes, answeredProbe: probes.some((p) => p.status === 'ONLINE') };
}

/**
 * `versions`: the host's /missing versions in snapshot order. `latestOk`: the
 * latest successful /missing read of the window (what an open episode was last
 * seen in). `status`: the host's probe versions in snapshot order.
 */
export function missingEpisodes(
  host: string,
  versions: readonly MissingVersion[],
  latestOk: SnapshotMark | null,
  status: readonly StatusVersion[] = [],
): MissingEpisode[] {
  const out: MissingEpisode[] = [];
  let open: TimeBounds | null = null;
  const finish = (start: TimeBounds, lastSeen: SnapshotMark, endBy: SnapshotMark | null) => {
    const episode = { host, start, lastSeen, endBy, duration: durationBounds(start, lastSeen, endBy), probes: [], answeredProbe: false };
    out.push(withProbes(episode, status));
  };
  for (const v of versions) {
    if (v.present && !open) open = { after: v.previousOk, by: v.snapshot };
    else if (!v.present && open) {
      // The read before the one that saw it gone still saw it.
      const lastSeen = v.previousOk && v.previousOk.id >= open.by.id ? v.previousOk : open.by;
      finish(open, lastSeen, v.snapshot);
      open = null;
    }
  }
  if (open) finish(open, latestOk && latestOk.id >= open.by.id ? latestOk : open.by, null);
  return out;
}

/** Snapshot ids (after, to]: the intervals the snapshots after `after` up to `to` close. */
export interface SnapshotSpan {
  after: number;
  to: number;
}

/**
 * The intervals in which what the daemon's watcher saw can tell something of
 * the episodes, merged where they touch, oldest first: from the read before
 * each one's start (its start's time) to the read that saw it end, or the last
 * that saw it (its end's time, and whether it flapped while it lasted).
 */
export function episodeSpans(episodes: readonly MissingEpisode[]): SnapshotSpan[] {
  const spans = episodes
    .map((e) => ({ after: e.start.after?.id ?? 0, to: (e.endBy ?? e.lastSeen).id }))
    .sort((a, b) => a.after - b.after);
  const out: SnapshotSpan[] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s.after <= last.to) last.to = Math.max(last.to, s.to);
    else out.push({ ...s });
  }
  return out;
}
