// The newest page of a `missing` answer (pure): a year of one flapping host
// is thousands of episodes, and a terminal wants the latest ones first. The
// page keeps the newest `limit` episodes by start and says how many older
// ones it left out; hosts left with none drop out, the counts follow the page.
import type { MissingHost, MissingReport } from './load-missing.js';

export type MissingPage = MissingReport & { olderEpisodes?: number };

/** `limit` 0 or undefined: everything (no `olderEpisodes`). */
export function newestEpisodes(r: MissingReport, limit: number | undefined): MissingPage {
  if (!limit) return r;
  if (r.episodes <= limit) return { ...r, olderEpisodes: 0 };
  const starts = r.missing.flatMap((h) => h.episodes.map((e) => e.start.by.id)).sort((a, b) => b - a);
  const from = starts[limit - 1]!;
  // Ties at the cut-off start: keep the newest `limit` episodes exactly, by host order within a tie.
  let room = limit - starts.filter((s) => s > from).length;
  const missing: MissingHost[] = [];
  for (const h of r.missing) {
    const episodes = h.episodes.filter((e) => e.start.by.id > from || (e.start.by.id === from && room-- > 0));
    if (episodes.length) missing.push({ ...h, episodes });
  }
  return {
    ...r,
    missing,
    hosts: missing.length,
    episodes: limit,
    stillMissing: missing.filter((h) => h.stillMissing).length,
    olderEpisodes: r.episodes - limit,
  };
}
