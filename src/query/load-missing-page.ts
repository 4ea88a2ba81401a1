// `missing --host H --limit N` (I/O glue): the newest N episodes of one host
// read as a window from the oldest of them, so the costly part (probes, Stats,
// watched records per episode) costs the page, not the history. Which episodes
// are the newest N, and how many are older, comes from the host's /missing
// versions alone (episodeStarts). Without a host, every host's episodes are
// read (the page is cut from the whole answer: missing-page.ts).
import type { HistoryReader } from '../store/index.js';
import { episodeStarts, loadMissing } from './load-missing.js';
import { newestEpisodes, type MissingPage } from './missing-page.js';

export function loadMissingPage(db: HistoryReader, opts: { host?: string; since?: number; until?: number }, limit: number | undefined): MissingPage {
  if (opts.host === undefined || !limit) return newestEpisodes(loadMissing(db, opts), limit);
  const window = db.windowSnapshots(opts);
  const starts = episodeStarts(db, opts.host, window, opts.since === undefined ? 0 : window.first.id);
  if (starts.length <= limit) return newestEpisodes(loadMissing(db, opts), limit);
  // One host's episodes never overlap: those overlapping (cut, end] are exactly the newest `limit`.
  const page = loadMissing(db, opts, db.marks().mark(starts[starts.length - limit]!));
  return { ...page, olderEpisodes: starts.length - limit };
}
