// Terminal rendering of `drift` at one snapshot and of drift history (pure).
import { flapText } from '../query/episode-flaps.js';
import type { DriftEpisode } from '../query/drift-history.js';
import type { DriftItem } from '../query/drift.js';
import { DRIFT_KIND_REGISTRY, DRIFT_KINDS, type DriftKind } from '../query/drift-kinds.js';
import type { DriftHistoryReport } from '../query/load-drift-history.js';
import type { DriftReport } from '../query/load-drift.js';
import type { JudgedDriftHistoryReport, SettledDriftReport } from '../query/load-settled-drift.js';
import type { IgnoreRule } from '../query/ignore-rules.js';
import { formatDuration, formatTime } from '../util/time.js';
import { blastLine } from '../query/blast-radius.js';
import { SOURCES } from '../snapshot/source-name.js';
import { alignColumns } from './columns.js';
import { formatValue } from './format-value.js';
import { unknownNote } from './source-knowledge-text.js';
import { formatBetween, formatDurationBounds, formatMark } from './time-bounds.js';
import { withExact } from '../query/exact-time.js';
import { pushAll } from '../util/push-all.js';

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
    lines.push(`${DRIFT_TITLES[kind]} (${group.length})`);
    pushAll(lines, alignColumns(group.map(row), '  '));
  }
  return lines;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function isSettled(r: DriftReport | SettledDriftReport): r is SettledDriftReport {
  return 'settling' in r;
}

function windowText(r: { settleMs: number; settleMsByKind: Record<string, number> }): string {
  const byKind = Object.keys(r.settleMsByKind).length ? ", or its kind's window" : '';
  return `${r.settleMs === 0 ? '0s' : formatDuration(r.settleMs)}${byKind}`;
}

function ruleText(rule: IgnoreRule): string {
  return `rule ${rule.kind} ${rule.ids} (${rule.reason}; ${rule.owner}, until ${rule.until})`;
}

/** One warning line per expired rule: it no longer matches, so what it hid is drift again. */
function expiredLines(rules: readonly IgnoreRule[]): string[] {
  return rules.map((r) => `Warning: expired ${ruleText(r)} no longer matches`);
}

function sinceText(since: number | null): string {
  return since === null ? 'start not seen' : `since ${formatTime(since)}`;
}

function driftHeader(r: DriftReport | SettledDriftReport): string {
  const parts = [r.total ? plural(r.total, 'drift item') : 'no drift'];
  if (isSettled(r) && r.settling.length) parts.push(`${r.settling.length} settling`);
  if (isSettled(r) && r.ignored.length) parts.push(`${r.ignored.length} ignored`);
  if (r.cannotCompare.length) parts.push(`${r.cannotCompare.length} cannot compare`);
  return `Snapshot ${formatMark(r.snapshot)}: ${parts.join(', ')}`;
}

function settleSections(r: SettledDriftReport): string[] {
  const lines: string[] = [];
  if (r.settling.length) {
    lines.push('', `Settling (younger than ${windowText(r)}; not drift yet):`);
    pushAll(lines, grouped(r.settling, (d) => [d.ids.join(','), formatSides(d), sinceText(d.since)]).map((l) => `  ${l}`));
  }
  if (r.ignored.length) {
    lines.push('', 'Ignored (matched by an ignore rule; not counted as drift):');
    pushAll(lines, grouped(r.ignored, (d) => [d.ids.join(','), formatSides(d), ruleText(d.rule)]).map((l) => `  ${l}`));
  }
  return lines;
}

export function renderDriftText(r: DriftReport | SettledDriftReport): string {
  const cc = r.cannotCompare.length;
  const lines = [driftHeader(r)];
  for (const s of SOURCES) {
    const note = unknownNote(r.sources[s], 'in this snapshot');
    if (note) lines.push(`  ${s} ${note}`);
  }
  if (isSettled(r)) lines.push(...expiredLines(r.expiredRules));
  if (isSettled(r) && r.total && blastLine(r.blastRadius, 'affected')) lines.push(`  by leaf and zone: ${blastLine(r.blastRadius, 'affected')}`);
  if (r.total) {
    const row = isSettled(r) ? (d: SettledDriftReport['drift'][number]) => [d.ids.join(','), formatSides(d), sinceText(d.since)] : (d: DriftItem) => [d.ids.join(','), formatSides(d)];
    pushAll(lines, ['', ...grouped(r.drift as SettledDriftReport['drift'], row)]);
  }
  if (isSettled(r)) pushAll(lines, settleSections(r));
  if (cc) {
    lines.push('', 'Cannot compare (a compared source was not read in this snapshot; these come from stale facts):');
    pushAll(lines, grouped(r.cannotCompare, (d) => [d.ids.join(','), formatSides(d), `unknown: ${d.unknownSources.join(',')}`]).map((l) => `  ${l}`));
  }
  const blind = r.checks.filter((c) => c.unknownSources.length).map((c) => c.kind);
  if (blind.length) lines.push('', `Checks not (fully) made: ${blind.join(', ')}`);
  return lines.join('\n');
}

/** `drift --accept`: what was written where. */
export function renderAcceptText(r: { file: string; snapshot: { id: number; startedAt: number }; added: number; total: number }): string {
  return `Accepted ${plural(r.added, 'drift item')} of snapshot ${formatMark(r.snapshot)} as ignore rules in ${r.file} (${plural(r.total, 'rule')} in all)`;
}

function episodeRow(e: DriftEpisode): string[] {
  const ended = e.endBy
    ? `ended ${formatBetween(withExact({ after: e.lastSeen, by: e.endBy }, e.endExact ?? null))}`
    : `still open (last seen ${formatTime(e.lastSeen.startedAt)})`;
  const flap = e.mayHaveFlapped ? `; ${flapText(e.mayHaveFlapped)}` : '';
  return [e.ids.join(','), `started ${formatBetween(e.start)}`, ended, `${formatDurationBounds(e.duration)}${flap}`];
}

function isJudged(r: DriftHistoryReport | JudgedDriftHistoryReport): r is JudgedDriftHistoryReport {
  return 'transient' in r;
}

/** Grouped by kind; the sort is stable, so each group stays in time order. */
function episodeGroups<T extends DriftEpisode>(episodes: readonly T[], row: (e: T) => string[]): string[] {
  const sorted = [...episodes].sort((a, b) => DRIFT_KINDS.indexOf(a.kind) - DRIFT_KINDS.indexOf(b.kind));
  return grouped(sorted, row);
}

function judgedSections(r: JudgedDriftHistoryReport): string[] {
  const lines: string[] = [];
  const transient = r.episodes.filter((e) => e.transient);
  const settling = r.episodes.filter((e) => e.settling);
  const ignored = r.episodes.filter((e) => e.ignoredBy);
  if (settling.length) pushAll(lines, ['', `Settling (open, younger than ${windowText(r)}; not drift yet):`, ...episodeGroups(settling, episodeRow).map((l) => `  ${l}`)]);
  if (transient.length) pushAll(lines, ['', `Transient (over within ${windowText(r)}; never drift):`, ...episodeGroups(transient, episodeRow).map((l) => `  ${l}`)]);
  if (ignored.length) {
    lines.push('', 'Ignored (matched by an ignore rule; not counted as drift):');
    pushAll(lines, episodeGroups(ignored, (e) => [...episodeRow(e), ruleText(e.ignoredBy!)]).map((l) => `  ${l}`));
  }
  return lines;
}

export function renderDriftHistoryText(r: (DriftHistoryReport | JudgedDriftHistoryReport) & { olderEpisodes?: number }): string {
  const apart = isJudged(r) ? [r.settling && `${r.settling} settling`, r.transient && `${r.transient} transient`, r.ignored && `${r.ignored} ignored`].filter(Boolean).map((t) => `, ${t}`).join('') : '';
  const lines = [
    `Drift ${formatMark(r.window.first)} → ${formatMark(r.window.last)}: ${plural(r.total, 'episode')}` +
      `${r.open ? `, ${r.open} still open` : ''}${apart} (re-checked at ${plural(r.evaluations, 'snapshot')} with changes)`,
  ];
  if (r.olderEpisodes) {
    lines.push(`(the newest ${plural(r.episodes.length, 'episode')}; ${r.olderEpisodes} older not shown: a larger --limit, 0 for all, or an earlier --until shows them)`);
  }
  if (isJudged(r)) lines.push(...expiredLines(r.expiredRules));
  const main = isJudged(r) ? r.episodes.filter((e) => !e.transient && !e.settling && !e.ignoredBy) : r.episodes;
  if (main.length) pushAll(lines, ['', ...episodeGroups(main, episodeRow)]);
  if (isJudged(r)) pushAll(lines, judgedSections(r));
  return lines.join('\n');
}
