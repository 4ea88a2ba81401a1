// `missing [--host H] --limit N` (I/O glue): the newest N episodes, read as a
// window from the oldest of them, so the costly part (probes, Stats, watched
// records per episode) costs the page, not the history. Which episodes are
// the newest N, and how many are older, comes from the /missing versions
// alone (episodeStarts; without --since, their starts counted in SQL and the
// newest read back from the end). Without a host, only the hosts with an episode on the
// page are read: `missing` at a terminal over a year of 5,000 hosts printed
// 100 episodes after reading all 12,464 (10.5 s and 631 MiB; now 0.5 s).
import type { SnapshotMark } from '../model/snapshot-mark.js';
import type { HistoryReader } from '../store/index.js';
import { episodeStarts, loadMissing, missingHosts } from './load-missing.js';
import { newestEpisodes, type MissingPage } from './missing-page.js';

export function loadMissingPage(db: HistoryReader, opts: { host?: string; since?: number; until?: number }, limit: number | undefined): MissingPage {
  if (!limit) return loadMissing(db, opts);
  return opts.host === undefined ? everyHostPage(db, opts, limit) : hostPage(db, { ...opts, host: opts.host }, limit);
}

function hostPage(db: HistoryReader, opts: { host: string; since?: number; until?: number }, limit: number): MissingPage {
  const window = db.windowSnapshots(opts);
  const starts = episodeStarts(db, [opts.host], window, opts.since === undefined ? 0 : window.first.id).get(opts.host) ?? [];
  if (starts.length <= limit) return newestEpisodes(loadMissing(db, opts), limit);
  // One host's episodes never overlap: those overlapping (cut, end] are exactly the newest `limit`.
  const page = loadMissing(db, opts, { from: db.marks().mark(starts[starts.length - limit]!) });
  return { ...page, olderEpisodes: starts.length - limit };
}

/** The whole answer's host order (loadMissing's): by each host's first episode in the window, then name. */
function answerOrder(firstStart: ReadonlyMap<string, number>): string[] {
  return [...firstStart.keys()].sort((a, b) => firstStart.get(a)! - firstStart.get(b)! || (a < b ? -1 : 1));
}

/**
 * The episodes newestEpisodes keeps of the whole answer (missing-page.ts), by
 * host in the answer's order: the newest `limit` by start, ties at the cut in
 * that order. `starts`: each host's, oldest first; at least every start from
 * the cut on (a host without any is left out).
 */
function pageStarts(starts: ReadonlyMap<string, readonly number[]>, order: readonly string[], limit: number): { cut: number; kept: Map<string, Set<number>> } {
  const newestFirst = [...starts.values()].flat().sort((a, b) => b - a);
  const cut = newestFirst[limit - 1]!;
  // Ties at the cut: as many as fit beside the starts after it.
  let room = limit - newestFirst.filter((s) => s > cut).length;
  const kept = new Map<string, Set<number>>();
  for (const host of order) {
    const mine = (starts.get(host) ?? []).filter((s) => s > cut || (s === cut && room-- > 0));
    if (mine.length) kept.set(host, new Set(mine));
  }
  return { cut, kept };
}

/** What cutting a page needs of the window's episode starts. */
interface WindowStarts {
  total: number;
  /** Every host with an episode in the window, in the answer's order. */
  order: string[];
  /** At least every start of the newest `limit` (ties at the cut included), by host. */
  newest(limit: number): Map<string, number[]>;
}

/**
 * Without --since the window holds every episode that began by its end: their
 * count and each host's first come from the /missing versions counted in SQL
 * (presence-starts.ts), and the newest from a read back from the end that
 * widens until it holds enough. A year's page no longer reads all 24,926
 * versions of its 12,464 episodes (~50 ms; now ~15).
 */
function startsUpTo(db: HistoryReader, window: { first: SnapshotMark; last: SnapshotMark }): WindowStarts {
  const last = window.last.id;
  const hosts = db.presenceStarts('zk.missing', 'missing', last);
  const total = hosts.reduce((n, h) => n + h.starts, 0);
  // First as far back as twice the page's share of the window's snapshot ids: one read, as a rule.
  const span = Math.ceil((2 * (last - window.first.id + 1)) / Math.max(total, 1));
  return {
    total,
    order: answerOrder(new Map(hosts.map((h) => [h.entity, h.first]))),
    newest: (limit) => newestStarts(db, last, limit, span * limit),
  };
}

/** The starts in (after, last], widening `after` back until at least `limit` are found or the history's start is reached. */
function newestStarts(db: HistoryReader, last: number, limit: number, span: number): Map<string, number[]> {
  const found: { host: string; at: number }[] = [];
  let to = last;
  for (let width = Math.max(span, 1); to > 0 && found.length < limit; width *= 2) {
    const after = Math.max(0, to - width);
    for (const v of db.versionsWithBeforeInRange(after, to, ['zk.missing'])) {
      if (v.kind === 'missing' && v.value !== null && v.before === null) found.push({ host: v.entity, at: v.snapshot });
    }
    to = after;
  }
  const out = new Map<string, number[]>();
  for (const { host, at } of found.sort((a, b) => a.at - b.at)) (out.get(host) ?? out.set(host, []).get(host)!).push(at);
  return out;
}

/** With --since, from each window host's versions (episodeStarts: those holding at the window's start included). */
function startsInWindow(db: HistoryReader, window: { first: SnapshotMark; last: SnapshotMark }): WindowStarts {
  const after = window.first.id;
  const starts = episodeStarts(db, missingHosts(db, after, window.last.id), window, after);
  return {
    total: [...starts.values()].reduce((n, s) => n + s.length, 0),
    order: answerOrder(new Map([...starts].map(([host, s]) => [host, s[0]!]))),
    newest: () => starts,
  };
}

/** newestEpisodes of the whole answer, reading only the page's hosts from the page's oldest start on. */
function everyHostPage(db: HistoryReader, opts: { since?: number; until?: number }, limit: number): MissingPage {
  const window = db.windowSnapshots(opts);
  const { total, order, newest } = opts.since === undefined ? startsUpTo(db, window) : startsInWindow(db, window);
  if (total <= limit) return newestEpisodes(loadMissing(db, opts), limit);
  const { cut, kept } = pageStarts(newest(limit), order, limit);
  // The blast radius is the whole answer's: every host of the window, not the page's.
  const page = loadMissing(db, opts, { from: db.marks().mark(cut), hosts: [...kept.keys()], blastHosts: order });
  // An episode open across the cut that began before it is not on the page.
  const missing = page.missing
    .map((h) => ({ ...h, episodes: h.episodes.filter((e) => kept.get(h.host)!.has(e.start.by.id)) }))
    .filter((h) => h.episodes.length);
  // In the whole answer's host order (by each host's first episode in the window, not on the page).
  const rank = new Map(order.map((h, i) => [h, i]));
  missing.sort((a, b) => rank.get(a.host)! - rank.get(b.host)!);
  return {
    ...page,
    hosts: missing.length,
    episodes: limit,
    stillMissing: missing.filter((h) => h.stillMissing).length,
    missing,
    olderEpisodes: total - limit,
  };
}
