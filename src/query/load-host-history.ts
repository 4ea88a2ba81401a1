// `history HOST` (I/O glue): every fact keyed by the host (fact_keys entity
// index), its ZooKeeper node errors, and the leaves it was ever placed in
// (for ownership changes); each key's versions with the source's previous
// successful read as the lower time bound.
import { NotFoundError } from '../errors.js';
import type { PlacementValue } from '../snapshot/fact.js';
import { ID_ONLY_MARKS, type HistoryReader, type KeyRow, type Marks } from '../store/index.js';
import { exactTimes } from './exact-time.js';
import { statPathOf } from './stat-path.js';
import { hostHistory, type HostHistory, keyEvents, type KeyHistory } from './host-history.js';
import { newestEvents } from './newest-page.js';
import { hostMissingEpisodes } from './load-missing.js';
import { markedRow } from './load-watched-of.js';
import type { SnapshotMark } from '../model/snapshot-mark.js';
import { SOURCES } from '../snapshot/source-name.js';
import { watchTimelineEvents, type WatchedChangeEvent, type WatchRecordRow, type WatchTimelineEvent } from './watched-events.js';

export interface HostHistoryReport extends HostHistory {
  window: { first: SnapshotMark; last: SnapshotMark };
  /** What the daemon's watcher saw of the host's nodes (only when it saw something). */
  watched?: WatchedChangeEvent[];
}

/**
 * The watched records that can concern the host in (afterId, toId]: its
 * /roles node's, and those of /hosts and /missing that name it (a year of
 * /missing's children events is tens of thousands; only the host's are read).
 */
function hostWatchRows(db: HistoryReader, m: Marks, host: string, afterId: number, toId: number): WatchRecordRow[] {
  const own = db.versionsOfKeysInRange('zk.watch', 'watch', [`/roles/${host}`], afterId, toId);
  const parents = db.versionsOfKeysInRange('zk.watch', 'watch', ['/hosts', '/missing'], afterId, toId, host);
  const rows = [...own, ...parents];
  m.preload(rows.map((r) => r.snapshot), { before: true });
  return rows.map((r) => markedRow(m, r));
}

/**
 * The watched events of the host's own nodes: writes to /roles/<host>, and
 * its /hosts and /missing children created or deleted (only its own name of
 * those the event lists).
 */
function hostWatched(events: readonly WatchTimelineEvent[], host: string): WatchedChangeEvent[] {
  const out: WatchedChangeEvent[] = [];
  for (const e of events) {
    if (e.type !== 'watched') continue;
    if (e.path === `/roles/${host}`) out.push(e);
    else if (e.kind === 'children' && (e.path === '/hosts' || e.path === '/missing') && [...(e.added ?? []), ...(e.removed ?? [])].includes(host)) {
      out.push({ ...e, added: (e.added ?? []).filter((n) => n === host), removed: (e.removed ?? []).filter((n) => n === host) });
    }
  }
  return out;
}

/** What a key's history needs of the snapshots: when each version was read, and the source's read before it. */
type VersionMarks = Pick<Marks, 'mark' | 'previousOk' | 'preload'>;

/** A key's versions up to `upTo`; with `after`, from the one holding at `after` on. */
function history(db: HistoryReader, m: VersionMarks, key: KeyRow, upTo: number, after = 0): KeyHistory {
  const versions = db.keyVersions(key.id, upTo, after);
  m.preload(versions.map((v) => v.snapshot), { previousOk: [key.source] });
  return {
    source: key.source,
    kind: key.kind,
    entity: key.entity,
    versions: versions.map((v) => ({
      snapshot: m.mark(v.snapshot),
      previousOk: m.previousOk(key.source, v.snapshot),
      value: v.value === null ? null : JSON.parse(v.value),
    })),
  };
}

/** Each version with its exact time where ZooKeeper's Stat proves it (Stats read from the key's first version read on). */
function timed(db: HistoryReader, upTo: number): (h: KeyHistory) => KeyHistory {
  return (h) => {
    const from = h.versions[0]?.snapshot.id ?? 0;
    const exact = exactTimes(
      h.versions,
      (v) => statPathOf({ source: h.source, kind: h.kind, entity: h.entity, after: v.value }),
      (v) => v.snapshot.id,
      (paths) => db.versionsOfEntities('zk.stat', 'stat', paths, upTo, from),
    );
    return { ...h, versions: h.versions.map((v, i) => (exact[i] ? { ...v, exact: exact[i] } : v)) };
  };
}

export function loadHostHistory(db: HistoryReader, host: string, window: { since?: number; until?: number } = {}): HostHistoryReport {
  const { first, last } = db.windowSnapshots(window);
  return hostHistoryFrom(db, host, { first, last }, first.id, window.since === undefined ? 0 : first.id - 1);
}

/** The keys of the host's history: its own, its nodes' errors (paths), and placements first among them. */
function hostKeys(db: HistoryReader, host: string): KeyRow[] {
  const own = db.keysOfEntity(host);
  if (!own.length) throw new NotFoundError(`no host "${host}" in the history`);
  // Node errors are keyed by path; the Stat records there time changes, they are not changes.
  const paths = [...db.keysOfEntity(`/hosts/${host}`), ...db.keysOfEntity(`/roles/${host}`)].filter((k) => k.source !== ('zk.stat' as string));
  return [...own, ...paths];
}

/** The histories of the host's keys and of the leaves it was ever placed in, each read from `after`'s version on. */
function hostKeyHistories(db: HistoryReader, m: VersionMarks, keys: readonly KeyRow[], upTo: number, after: number): KeyHistory[] {
  // Placements are read whole, since the leaves the host was ever in decide which ownership changes concern it.
  const histories = keys.map((k) => history(db, m, k, upTo, k.kind === 'placement' ? 0 : after));
  const leaves = new Set<string>();
  for (const h of histories) {
    if (h.kind !== 'placement') continue;
    for (const v of h.versions) if (v.value) leaves.add((v.value as PlacementValue).leaf);
  }
  for (const leaf of leaves) {
    for (const [source, kind] of [['zk.roles', 'leaf'], ['chairman', 'leaf'], ['root', 'child']] as const) {
      const key = db.keyOf(source, kind, leaf);
      if (key) histories.push(history(db, m, key, upTo, after));
    }
  }
  return histories;
}

/** The report for the window, its events and episodes from snapshot `fromId` on, each key read from `after`'s version. */
function hostHistoryFrom(db: HistoryReader, host: string, window: HostHistoryReport['window'], fromId: number, after: number): HostHistoryReport {
  const { first, last } = window;
  const m = db.marks();
  const histories = hostKeyHistories(db, m, hostKeys(db, host), last.id, after);
  const full = hostHistory(host, histories.map(timed(db, last.id)), hostMissingEpisodes(db, m, host, last.id, after));
  const watched = hostWatched(watchTimelineEvents(hostWatchRows(db, m, host, fromId - 1, last.id), SOURCES), host);
  return {
    window: { first, last },
    host,
    events: full.events.filter((e) => e.at.by.id >= fromId),
    missingEpisodes: full.missingEpisodes.filter((e) => e.endBy === null || e.endBy.id > fromId),
    ...(watched.length ? { watched } : {}),
  };
}

/**
 * The newest `limit` events of the window and how many older ones it holds
 * (`limit` 0 or none: all of them). The events' snapshots are counted from the
 * keys' versions alone (no Stats, episodes or watched records, which neither
 * add nor remove events); the page is then read from the snapshot of its
 * oldest event on, so the costly part costs the page, not the history. The
 * page's episodes and watched records are those from that snapshot on.
 */
export function loadHostHistoryPage(db: HistoryReader, host: string, window: { since?: number; until?: number }, limit: number | undefined): HostHistoryReport & { olderEvents?: number } {
  const { first, last } = db.windowSnapshots(window);
  const after = window.since === undefined ? 0 : first.id - 1;
  if (!limit) return newestEvents(hostHistoryFrom(db, host, { first, last }, first.id, after), limit);
  const ids = hostKeyHistories(db, ID_ONLY_MARKS, hostKeys(db, host), last.id, after)
    .flatMap((h) => keyEvents(host, h).map((e) => e.at.by.id))
    .filter((id) => id >= first.id)
    .sort((a, b) => a - b);
  if (ids.length <= limit) return newestEvents(hostHistoryFrom(db, host, { first, last }, first.id, after), limit);
  const cut = ids[ids.length - limit]!;
  const page = hostHistoryFrom(db, host, { first, last }, cut, cut - 1);
  return { ...page, events: page.events.slice(-limit), olderEvents: ids.length - limit };
}
