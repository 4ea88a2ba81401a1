// Terminal rendering of `drift` at one snapshot and of drift history (pure).
import type { DriftEpisode } from '../query/drift-history.js';
import type { DriftItem } from '../query/drift.js';
import { DRIFT_KIND_REGISTRY, DRIFT_KINDS, type DriftKind } from '../query/drift-kinds.js';
import type { DriftHistoryReport } from '../query/load-drift-history.js';
import type { DriftReport } from '../query/load-drift.js';
import { formatTime } from '../util/time.js';
import { SOURCES } from '../snapshot/source-name.js';
import { alignColumns } from './columns.js';
import { formatValue } from './format-value.js';
import { unknownNote } from './source-knowledge-text.js';
import { formatBetween, formatDurationBounds, formatMark } from './time-bounds.js';

/** Each kind's title (the drift-kind registry holds them). */
export const DRIFT_TITLES = Object.fromEntries(DRIFT_KINDS.map((k) => [k, DRIFT_KIND_REGISTRY[k].title])) as Record<DriftKind, string>;

export function formatSides(item: Pick<DriftItem, 'sources' | 'sides'>): string {
  return item.sources
    .filter((s) => s in item.sides)
    .map((s) => `${s}: ${formatValue(item.sides[s])}`)
    .join('   ');
}

function grouped<T extends DriftItem>(items: readonly T[], row: (i: T) => string[]): string[] {
  const lines: string[] = [];
  let i = 0;
  while (i < items.length) {
    const kind = items[i]!.kind;
    const group: T[] = [];
    while (i < items.length && items[i]!.kind === kind) group.push(items[i++]!);
    lines.push(`${DRIFT_TITLES[kind]} (${group.length})`, ...alignColumns(group.map(row), '  '));
  }
  return lines;
}

export function renderDriftText(r: DriftReport): string {
  const cc = r.cannotCompare.length;
  const lines = [
    `Snapshot ${formatMark(r.snapshot)}: ${r.total ? `${r.total} drift item${r.total === 1 ? '' : 's'}` : 'no drift'}${cc ? `, ${cc} cannot compare` : ''}`,
  ];
  for (const s of SOURCES) {
    const note = unknownNote(r.sources[s], 'in this snapshot');
    if (note) lines.push(`  ${s} ${note}`);
  }
  if (r.total) lines.push('', ...grouped(r.drift, (d) => [d.ids.join(','), formatSides(d)]));
  if (cc) {
    lines.push('', 'Cannot compare (a compared source was not read in this snapshot; these come from stale facts):');
    lines.push(...grouped(r.cannotCompare, (d) => [d.ids.join(','), formatSides(d), `unknown: ${d.unknownSources.join(',')}`]).map((l) => `  ${l}`));
  }
  const blind = r.checks.filter((c) => c.unknownSources.length).map((c) => c.kind);
  if (blind.length) lines.push('', `Checks not (fully) made: ${blind.join(', ')}`);
  return lines.join('\n');
}

function episodeRow(e: DriftEpisode): string[] {
  const ended = e.endBy
    ? `ended ${formatBetween({ after: e.lastSeen, by: e.endBy })}`
    : `still open (last seen ${formatTime(e.lastSeen.startedAt)})`;
  return [e.ids.join(','), `started ${formatBetween(e.start)}`, ended, formatDurationBounds(e.duration)];
}

export function renderDriftHistoryText(r: DriftHistoryReport): string {
  const lines = [
    `Drift ${formatMark(r.window.first)} → ${formatMark(r.window.last)}: ${r.total} episode${r.total === 1 ? '' : 's'}` +
      `${r.open ? `, ${r.open} still open` : ''} (re-checked at ${r.evaluations} snapshot${r.evaluations === 1 ? '' : 's'} with changes)`,
  ];
  // Grouped by kind; the sort is stable, so each group stays in time order.
  const sorted = [...r.episodes].sort((a, b) => DRIFT_KINDS.indexOf(a.kind) - DRIFT_KINDS.indexOf(b.kind));
  if (sorted.length) lines.push('', ...grouped(sorted, episodeRow));
  return lines.join('\n');
}
