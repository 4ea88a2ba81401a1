// The timeline section (pure): in HTML the chart, in both formats the numbers
// behind it, one row per collection where any of them changed (the rest
// repeat the row above, so leaving them out loses nothing).
import { formatTime } from '../util/time.js';
import { cell, plural, tableGroup, type Cell, type Section } from './report-document.js';
import type { SeriesPoint } from './report-model.js';

function count(n: number | null): Cell {
  return n === null ? cell('unknown', 'muted', 'the source was not read in this collection') : cell(String(n), n > 0 ? 'bad' : undefined);
}

function signature(p: SeriesPoint): string {
  return JSON.stringify([p.outcome, p.failedSources, p.missing, p.offline, p.drift]);
}

/** The first and last point, and every point that differs from the one before or marks a leader change. */
export function changedPoints(series: readonly SeriesPoint[]): SeriesPoint[] {
  return series.filter(
    (p, i) => i === 0 || i === series.length - 1 || p.leaderChanges.length > 0 || signature(p) !== signature(series[i - 1]!),
  );
}

function row(p: SeriesPoint): Cell[] {
  return [
    cell(`#${p.snapshot.id}`),
    cell(formatTime(p.snapshot.startedAt)),
    cell(p.outcome, p.outcome === 'complete' ? undefined : 'bad'),
    cell(p.failedSources.join(', ') || '—'),
    count(p.missing),
    count(p.offline),
    cell(String(p.drift), p.drift > 0 ? 'warn' : undefined),
    cell(p.leaderChanges.join(', ') || '—', p.leaderChanges.length ? 'warn' : undefined),
  ];
}

export function timelineSection(series: readonly SeriesPoint[], maxRows: number): Section {
  const rows = changedPoints(series);
  return {
    id: 'timeline',
    title: 'Timeline',
    chart: true,
    notes: [
      'Per collection: hosts in /missing, nodes probed OFFLINE and drift episodes open; failed collections and leader changes are marked. ' +
        '"unknown" means the source was not read in that collection.',
    ],
    groups: [
      tableGroup(
        `Per collection: ${plural(rows.length, 'row')} of ${plural(series.length, 'collection')} (a row where any value changed)`,
        ['Collection', 'Started', 'Outcome', 'Failed sources', 'Missing', 'Offline', 'Open drift', 'Leader changed'],
        rows.map(row),
        maxRows,
      ),
    ],
  };
}
