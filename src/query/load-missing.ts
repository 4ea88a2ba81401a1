// `missing [--host ID] [--since T] [--until T]` (I/O glue): each host's
// /missing versions (primary key range of one key), the last successful
// /missing read before each (one index seek), and its probe versions.
import type { NodeStatus } from '../model/status.js';
import { NotFoundError } from '../errors.js';
import type { StatusValue } from '../snapshot/fact.js';
import { ID_ONLY_MARKS, type EntitySpan, type HistoryReader, type Marks } from '../store/index.js';
import { episodeSpans, missingEpisodes, withProbes, type MissingEpisode, type StatusVersion } from './missing-episodes.js';
import type { SnapshotMark } from '../model/snapshot-mark.js';
import { exactFromStat, type StatVersions, withExact } from './exact-time.js';
import type { BlastRadius } from './blast-radius.js';
import { loadBlastRadius } from './load-blast-radius.js';
import { loadWatched } from './load-timeline.js';
import { loadHostMissingWatched } from './load-host-watched.js';
import type { WatchTimelineEvent } from './watched-events.js';
import { watchedChildTime } from './watched-times.js';
import { mayHaveFlapped } from './episode-flaps.js';
import { hiddenAtPaths } from './load-episode-flaps.js';

export interface MissingHost {
  host: string;
  /** Episodes overlapping the window; more than one means the host flapped. */
  episodes: MissingEpisode[];
  stillMissing: boolean;
}

export interface MissingReport {
  window: { first: SnapshotMark; last: SnapshotMark };
  /** The latest successful /missing read in the window: "still missing" is as of this read. */
  lastRead: SnapshotMark | null;
  /** /missing could not be read at the window's last snapshot. */
  unknownAtEnd: boolean;
  hosts: number;
  episodes: number;
  stillMissing: number;
  missing: MissingHost[];
  /** The hosts with an episode in the window, per leaf and zone as placed at the window's end. */
  blastRadius: BlastRadius;
}

type StoredVersion = { snapshot: number; value: string | null };

function statusVersions(m: Marks, stored: readonly StoredVersion[]): StatusVersion[] {
  return stored.map((v) => ({
    snapshot: m.mark(v.snapshot),
    status: v.value === null ? null : ((JSON.parse(v.value) as StatusValue).status as NodeStatus),
  }));
}

/** Every /missing episode of `host` up to snapshot `upTo`, from its stored /missing versions (the probes not yet read: withProbes). */
function episodesOf(m: Marks, host: string, missing: readonly StoredVersion[], upTo: number): MissingEpisode[] {
  if (!missing.length) return [];
  const versions = missing.map((v) => ({
    snapshot: m.mark(v.snapshot),
    present: v.value !== null,
    previousOk: m.previousOk('zk.missing', v.snapshot),
  }));
  return missingEpisodes(host, versions, m.latestOk('zk.missing', upTo));
}

const missingPath = (host: string) => `/missing/${host}`;

/** Where each episode's probe runs are read (probeRuns): from the verdict holding at its first sighting to its last. */
function probeSpans(byHost: ReadonlyMap<string, readonly MissingEpisode[]>): EntitySpan[] {
  return [...byHost].flatMap(([host, episodes]) => episodes.map((e): EntitySpan => [host, e.start.by.id, e.lastSeen.id]));
}

/**
 * An episode's start at the ctime of its /missing node, where the node's Stat
 * proves it (exact-time.ts), else where the daemon's watcher saw the node
 * created; its end where the watcher saw it deleted (watched-times.ts).
 */
function timedByZooKeeper(e: MissingEpisode, stats: Map<string, StatVersions>, watched: readonly WatchTimelineEvent[]): MissingEpisode {
  const path = missingPath(e.host);
  const child = { parent: '/missing', name: e.host };
  const start = exactFromStat(stats.get(path), e.start.by.id, path, 'ctime') ?? watchedChildTime(watched, child, true, e.start.after, e.start.by);
  const end = e.endBy && watchedChildTime(watched, child, false, e.lastSeen, e.endBy);
  return { ...e, start: withExact(e.start, start), ...(end ? { endExact: end } : {}) };
}

/**
 * Every /missing episode of each host up to snapshot `upTo` (with `after`: those
 * still holding at `after` or starting later): three reads for all hosts, not
 * three per host. /missing is read from each host's last removal at or before
 * `after`, so an episode holding there is read from its start; Stats from the
 * read before the earliest such start on (a host quiet for months before
 * `after` does not drag them back to its last removal); probes over each
 * episode alone.
 */
function missingEpisodesByHost(db: HistoryReader, m: Marks, hosts: readonly string[], upTo: number, after = 0): Map<string, MissingEpisode[]> {
  const missing = db.versionsOfEntities('zk.missing', 'missing', hosts, upTo, after, 'removal');
  // A flapping host's year is ~1,400 versions, each timed below: their snapshots are read at once.
  m.preload([...missing.values()].flat().map((v) => v.snapshot), { previousOk: ['zk.missing'] });
  // The earliest episode read here starts at a host's first presence: from the /missing read before it.
  const firstSeen = [...missing.values()].flatMap((v) => v.find((x) => x.value !== null) ?? []);
  const from = after <= 0 ? 0 : firstSeen.reduce((lo, v) => Math.min(lo, m.previousOk('zk.missing', v.snapshot)?.id ?? 0), after);
  const stats = db.versionsOfEntities('zk.stat', 'stat', [...missing.keys()].map(missingPath), upTo, from);
  // The probes only while each episode lasted (probeRuns): not every probe version of the host's history.
  const unprobed = new Map(hosts.map((h) => [h, episodesOf(m, h, missing.get(h) ?? [], upTo)]));
  const status = db.versionsOverSpans('status', 'status', probeSpans(unprobed));
  m.preload([...status.values()].flat().map((v) => v.snapshot));
  const episodes = new Map(
    [...unprobed].map(([h, es]) => {
      const probes = statusVersions(m, status.get(h) ?? []);
      return [h, es.map((e) => withProbes(e, probes))];
    }),
  );
  // One host's answer needs only the watched records that can concern its episodes (load-host-watched.ts).
  const watched = !missing.size
    ? []
    : hosts.length === 1
      ? loadHostMissingWatched(db, m, hosts[0]!, from, upTo, episodeSpans(episodes.get(hosts[0]!)!))
      : loadWatched(db, m, from, upTo, ['zk.missing']);
  const hidden = hiddenAtPaths(db, m, [...missing.keys()].map(missingPath), from, upTo, () => watched);
  const flapped = (e: MissingEpisode): MissingEpisode => {
    const f = mayHaveFlapped(hidden, [missingPath(e.host)], e.start.by.id, (e.endBy ?? e.lastSeen).id);
    return f ? { ...e, mayHaveFlapped: f } : e;
  };
  return new Map(hosts.map((h) => [h, episodes.get(h)!.map((e) => flapped(timedByZooKeeper(e, stats, watched)))]));
}

/** Every /missing episode of `host` up to snapshot `upTo` (with `after`: those holding at `after` or later). */
export function hostMissingEpisodes(db: HistoryReader, m: Marks, host: string, upTo: number, after = 0): MissingEpisode[] {
  return missingEpisodesByHost(db, m, [host], upTo, after).get(host)!;
}

function overlaps(e: MissingEpisode, first: SnapshotMark, last: SnapshotMark): boolean {
  return e.start.by.id <= last.id && (e.endBy === null || e.endBy.id > first.id);
}

/**
 * The hosts whose episodes can reach past snapshot `after`: every host /missing
 * ever listed, or (after > 0) those it listed at `after` and those it listed or
 * withdrew since. A year lists thousands of hosts once or twice; a 6-hour
 * window's report read each one's version at its start (113 ms; now 4).
 */
export function missingHosts(db: HistoryReader, after = 0, upTo = Number.MAX_SAFE_INTEGER): string[] {
  if (after <= 0) return db.keysOfKind('zk.missing', 'missing').map((k) => k.entity);
  const hosts = new Set(db.readSourceFacts('zk.missing', after).entities('missing'));
  for (const v of db.versionsInRange(after, upTo, ['zk.missing'])) if (v.kind === 'missing') hosts.add(v.entity);
  return [...hosts];
}

/**
 * Where each of `hosts`' episodes overlapping the window starts (snapshot ids,
 * oldest first; hosts with none are absent), from their /missing versions
 * alone: a page's cut, without the probes, Stats and watched records that
 * time and qualify each episode.
 */
export function episodeStarts(db: HistoryReader, hosts: readonly string[], window: { first: SnapshotMark; last: SnapshotMark }, after: number): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const [host, missing] of db.versionsOfEntities('zk.missing', 'missing', hosts, window.last.id, after, 'removal')) {
    // Where episodes start and end depends on the values alone; only their times need marks.
    const starts = episodesOf(ID_ONLY_MARKS, host, missing, window.last.id)
      .filter((e) => overlaps(e, window.first, window.last))
      .map((e) => e.start.by.id);
    if (starts.length) out.set(host, starts);
  }
  return out;
}

/**
 * A page of the answer: only the episodes from snapshot `from` on, read from
 * there, of `hosts` only where given (load-missing-page.ts).
 */
export interface MissingPageRead {
  from: SnapshotMark;
  hosts?: readonly string[];
  /** The hosts the blast radius covers, where they are more than the page's (the whole answer's). */
  blastHosts?: readonly string[];
}

export function loadMissing(db: HistoryReader, opts: { host?: string; since?: number; until?: number }, page?: MissingPageRead): MissingReport {
  const { first, last } = db.windowSnapshots(opts);
  const m = db.marks();
  if (opts.host !== undefined && db.keysOfEntity(opts.host).length === 0) {
    throw new NotFoundError(`no host "${opts.host}" in the history`);
  }
  const pageFrom = page?.from;
  // Only the window's episodes are asked for: read from the versions holding at its first snapshot on.
  const after = pageFrom?.id ?? (opts.since === undefined ? 0 : first.id);
  const hosts = opts.host !== undefined ? [opts.host] : (page?.hosts ?? missingHosts(db, after, last.id));
  const byHost = missingEpisodesByHost(db, m, hosts, last.id, after);
  const missing: MissingHost[] = [];
  for (const host of hosts) {
    const episodes = byHost.get(host)!.filter((e) => overlaps(e, pageFrom ?? first, last));
    if (!episodes.length && opts.host === undefined) continue;
    missing.push({ host, episodes, stillMissing: episodes.some((e) => e.endBy === null) });
  }
  missing.sort((a, b) => (a.episodes[0]?.start.by.id ?? 0) - (b.episodes[0]?.start.by.id ?? 0) || (a.host < b.host ? -1 : 1));
  const lastRead = m.latestOk('zk.missing', last.id);
  return {
    window: { first, last },
    lastRead,
    unknownAtEnd: lastRead?.id !== last.id,
    hosts: missing.filter((h) => h.episodes.length).length,
    episodes: missing.reduce((n, h) => n + h.episodes.length, 0),
    stillMissing: missing.filter((h) => h.stillMissing).length,
    missing,
    blastRadius: loadBlastRadius(db, last.id, { hosts: page?.blastHosts ?? missing.filter((h) => h.episodes.length).map((h) => h.host) }),
  };
}
