// `missing [--host H] --limit N` (I/O glue): the newest N episodes, read as a
// window from the oldest of them, so the costly part (probes, Stats, watched
// records per episode) costs the page, not the history. Which episodes are
// the newest N, and how many are older, comes from the /missing versions
// alone (episodeStarts). Without a host, only the hosts with an episode on the
// page are read: `missing` at a terminal over a year of 5,000 hosts printed
// 100 episodes after reading all 12,464 (10.5 s and 631 MiB; now 0.5 s).
import type { HistoryReader } from '../store/index.js';
import { loadBlastRadius } from './load-blast-radius.js';
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
function answerOrder(starts: ReadonlyMap<string, readonly number[]>): string[] {
  return [...starts.keys()].sort((a, b) => starts.get(a)![0]! - starts.get(b)![0]! || (a < b ? -1 : 1));
}

/**
 * The episodes newestEpisodes keeps of the whole answer (missing-page.ts), by
 * host in the answer's order: the newest `limit` by start, ties at the cut in
 * that order. `starts`: each host's, oldest first.
 */
function pageStarts(starts: ReadonlyMap<string, readonly number[]>, order: readonly string[], limit: number): { cut: number; kept: Map<string, Set<number>> } {
  const newestFirst = [...starts.values()].flat().sort((a, b) => b - a);
  const cut = newestFirst[limit - 1]!;
  // Ties at the cut: as many as fit beside the starts after it.
  let room = limit - newestFirst.filter((s) => s > cut).length;
  const kept = new Map<string, Set<number>>();
  for (const host of order) {
    const mine = starts.get(host)!.filter((s) => s > cut || (s === cut && room-- > 0));
    if (mine.length) kept.set(host, new Set(mine));
  }
  return { cut, kept };
}

/** newestEpisodes of the whole answer, reading only the page's hosts from the page's oldest start on. */
function everyHostPage(db: HistoryReader, opts: { since?: number; until?: number }, limit: number): MissingPage {
  const window = db.windowSnapshots(opts);
  const after = opts.since === undefined ? 0 : window.first.id;
  const starts = episodeStarts(db, missingHosts(db, after, window.last.id), window, after);
  const total = [...starts.values()].reduce((n, s) => n + s.length, 0);
  if (total <= limit) return newestEpisodes(loadMissing(db, opts), limit);
  const order = answerOrder(starts);
  const { cut, kept } = pageStarts(starts, order, limit);
  const page = loadMissing(db, opts, { from: db.marks().mark(cut), hosts: [...kept.keys()] });
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
    blastRadius: loadBlastRadius(db, window.last.id, { hosts: order }),
    olderEpisodes: total - limit,
  };
}
