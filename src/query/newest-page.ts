// The newest page of a long answer (pure): `history`, `timeline` and
// `drift --since` list their items oldest first, and a terminal shows the
// newest of them (the CLI's TEXT_PAGE unless --limit says otherwise), with a
// count of the older ones left out. Counts in the answer's header stay the
// window's. `missing`, whose episodes are grouped by host, has its own page
// (missing-page.ts).

/** The newest `limit` of a list in time order (0 or none: all of it), and how many older ones were left out (none counted without a limit). */
function newestOf<T>(list: readonly T[], limit: number | undefined): { page: T[]; older: number | undefined } {
  if (!limit) return { page: list as T[], older: undefined };
  if (list.length <= limit) return { page: list as T[], older: 0 };
  return { page: list.slice(-limit), older: list.length - limit };
}

/** The newest `limit` events (0 or none: all), and how many older ones were left out. */
export function newestEvents<R extends { events: readonly unknown[] }>(r: R, limit: number | undefined): R & { olderEvents?: number } {
  const { page, older } = newestOf(r.events, limit);
  return older === undefined ? r : { ...r, events: page, olderEvents: older };
}

/** The newest `limit` drift episodes by start (0 or none: all), and how many older ones were left out. */
export function newestDriftEpisodes<R extends { episodes: readonly unknown[] }>(r: R, limit: number | undefined): R & { olderEpisodes?: number } {
  const { page, older } = newestOf(r.episodes, limit);
  return older === undefined ? r : { ...r, episodes: page, olderEpisodes: older };
}
