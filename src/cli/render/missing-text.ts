// Terminal rendering of `missing` (pure): per host, its episodes with both
// time bounds of each edge, duration range, and what the probes said.
import type { MissingHost } from '../../query/load-missing.js';
import type { MissingPage } from '../../query/missing-page.js';
import type { MissingEpisode, ProbeRun } from '../../query/missing-episodes.js';
import { formatTime } from '../../util/time.js';
import { flapText } from '../../query/episode-flaps.js';
import { blastHosts, blastLine } from '../../query/blast-radius.js';
import { alignColumns } from '../../present/columns.js';
import { formatBetween, formatDurationBounds, formatMark } from '../../present/time-bounds.js';
import { pushAll } from '../../util/push-all.js';

function probes(runs: readonly ProbeRun[]): string {
  const text = runs.map((r, i) => (i === 0 ? (r.status ?? 'not probed') : `${r.status ?? 'not probed'} from ${formatTime(r.from.startedAt)}`));
  return `probes: ${text.join(', ')}`;
}

function episodeRow(e: MissingEpisode): string[] {
  const ended = e.endBy
    ? `back ${formatBetween(e.endExact ? { after: e.lastSeen, by: e.endBy, exact: e.endExact } : { after: e.lastSeen, by: e.endBy })}`
    : `still missing (as of ${formatTime(e.lastSeen.startedAt)})`;
  const flap = e.mayHaveFlapped ? `; ${flapText(e.mayHaveFlapped)}` : '';
  return [`missing since ${formatBetween(e.start)}`, ended, `${formatDurationBounds(e.duration)}${flap}`, `${probes(e.probes)}${e.answeredProbe ? ' (answered while listed missing)' : ''}`];
}

export function renderMissingText(r: MissingPage): string {
  const lines = [
    `Missing hosts ${formatMark(r.window.first)} → ${formatMark(r.window.last)}: ${r.hosts} host${r.hosts === 1 ? '' : 's'}, ` +
      `${r.episodes} episode${r.episodes === 1 ? '' : 's'}, ${r.stillMissing} still missing`,
  ];
  if (r.unknownAtEnd) {
    lines.push(`  /missing was not read at the window's end; "still missing" is as of ${r.lastRead ? formatMark(r.lastRead) : 'no read at all'}`);
  }
  // The roll-up covers the window, not only the page the counts above are of.
  const whose = r.olderEpisodes ? ` (the ${blastHosts(r.blastRadius)} hosts with an episode in the window)` : '';
  if (r.hosts) lines.push(`  by leaf and zone${whose}: ${blastLine(r.blastRadius, 'missing')}`);
  if (r.olderEpisodes) {
    lines.push(`  (the newest ${r.episodes} episode${r.episodes === 1 ? '' : 's'}; ${r.olderEpisodes} older not shown: a larger --limit, 0 for all, or --since shows them)`);
  }
  for (const h of r.missing) pushAll(lines, ['', ...renderHostEpisodes(h)]);
  return lines.join('\n');
}

export function renderHostEpisodes(h: MissingHost): string[] {
  const n = h.episodes.length;
  const flap = n > 1 ? ', flapping' : '';
  const title = n ? `${n} episode${n === 1 ? '' : 's'}${flap}${h.stillMissing ? ', still missing' : ''}` : 'never listed in /missing in this window';
  return [`${h.host}: ${title}`, ...alignColumns(h.episodes.map(episodeRow), '  ')];
}
