// Episode tables (pure): missing hosts, probe verdicts other than ONLINE,
// drift items, then source availability, outages and leader changes. Each
// edge keeps both of its bounds and each duration is the range the
// collections allow. Grouped so a large window collapses into a few groups.
import { formatEndpoint } from '../model/ids.js';
import type { DriftEpisode } from '../query/drift-history.js';
import { DRIFT_KINDS } from '../query/drift.js';
import type { MissingEpisode } from '../query/missing-episodes.js';
import type { ExactTime, SnapshotMark } from '../model/snapshot-mark.js';
import { formatTime } from '../util/time.js';
import { DRIFT_TITLES } from '../present/drift-text.js';
import { formatValue } from '../present/format-value.js';
import { formatBetween, formatDurationBounds, formatMark } from '../present/time-bounds.js';
import { flapText } from '../query/episode-flaps.js';
import { cell, plural, tableGroup, type Cell, type Section, type TableGroup } from './report-document.js';
import type { LeaderChange, SourceAvailability, SourceOutage, StatusEpisode } from './report-model.js';

function ended(lastSeen: SnapshotMark, endBy: SnapshotMark | null, open: string, exact?: ExactTime): Cell {
  return endBy ? cell(formatBetween(exact ? { after: lastSeen, by: endBy, exact } : { after: lastSeen, by: endBy })) : cell(`${open} (last seen ${formatTime(lastSeen.startedAt)})`, 'bad');
}

/** The duration, and that it may have flapped in between where ZooKeeper counted unseen changes. */
function duration(e: MissingEpisode | DriftEpisode): Cell {
  const d = formatDurationBounds(e.duration);
  return e.mayHaveFlapped ? cell(`${d}; ${flapText(e.mayHaveFlapped)}`, 'warn') : cell(d);
}

function probes(e: MissingEpisode): Cell {
  const text = e.probes.map((p, i) => (i === 0 ? (p.status ?? 'not probed') : `${p.status ?? 'not probed'} from #${p.from.id}`)).join(', ');
  return e.answeredProbe ? cell(`${text} (answered while listed missing)`, 'warn') : cell(text);
}

export function missingSection(episodes: readonly MissingEpisode[], unknownAtEnd: boolean, maxRows: number): Section {
  const columns = ['Host', 'Listed missing', 'Back', 'Duration', 'Probes meanwhile'];
  const row = (e: MissingEpisode): Cell[] => [
    cell(e.host, 'bad'),
    cell(formatBetween(e.start)),
    ended(e.lastSeen, e.endBy, 'still missing', e.endExact),
    duration(e),
    probes(e),
  ];
  const open = episodes.filter((e) => e.endBy === null);
  const closed = episodes.filter((e) => e.endBy !== null);
  const groups: TableGroup[] = [];
  if (open.length) groups.push(tableGroup(`Still missing (${open.length})`, columns, open.map(row), maxRows));
  if (closed.length) groups.push(tableGroup(`Back (${closed.length})`, columns, closed.map(row), maxRows));
  const notes = [episodes.length ? `${plural(episodes.length, 'episode')} of hosts listed in /missing.` : 'No host was listed in /missing in this window.'];
  if (unknownAtEnd) notes.push('/missing was not read at the window\'s last collection: "still missing" is as of the last read.');
  return { id: 'missing', title: 'Missing hosts', notes, groups };
}

const STATUSES = ['OFFLINE', 'ERROR', 'UNKNOWN'] as const;
const STATUS_TITLES: Record<(typeof STATUSES)[number], string> = {
  OFFLINE: 'OFFLINE (refused, reset or timed out)',
  ERROR: 'ERROR (connected, but the peer misbehaved)',
  UNKNOWN: 'UNKNOWN (no address to probe)',
};

export function statusSection(episodes: readonly StatusEpisode[], maxRows: number): Section {
  const row = (e: StatusEpisode): Cell[] => [
    cell(e.node, e.status === 'OFFLINE' ? 'bad' : 'warn'),
    cell(formatBetween(e.start)),
    ended(e.lastSeen, e.endBy, `still ${e.status}`),
    cell(formatDurationBounds(e.duration)),
    cell(e.endBy ? (e.endedAs ?? 'not probed') : '—'),
  ];
  const groups = STATUSES.map((s) => episodes.filter((e) => e.status === s))
    .filter((list) => list.length)
    .map((list) => tableGroup(`${STATUS_TITLES[list[0]!.status]} (${list.length})`, ['Node', 'Since', 'Until', 'Duration', 'Then'], list.map(row), maxRows));
  return {
    id: 'status',
    title: 'Status flips',
    notes: [episodes.length ? `${plural(episodes.length, 'episode')} of a probe verdict other than ONLINE.` : 'Every probed node answered ONLINE throughout.'],
    groups,
  };
}

function sides(e: DriftEpisode): string {
  return e.sources
    .filter((s) => s in e.sides)
    .map((s) => `${s}: ${formatValue(e.sides[s])}`)
    .join('; ');
}

export function driftSection(episodes: readonly DriftEpisode[], maxRows: number): Section {
  const row = (e: DriftEpisode): Cell[] => [
    cell(e.ids.join(', '), 'warn'),
    cell(sides(e)),
    cell(formatBetween(e.start)),
    ended(e.lastSeen, e.endBy, 'still open', e.endExact),
    duration(e),
  ];
  const groups = DRIFT_KINDS.map((k) => episodes.filter((e) => e.kind === k))
    .filter((list) => list.length)
    .map((list) => tableGroup(`${DRIFT_TITLES[list[0]!.kind]} (${list.length})`, ['About', 'Sides when first seen', 'Started', 'Ended', 'Duration'], list.map(row), maxRows));
  return {
    id: 'drift',
    title: 'Drift between sources',
    notes: [
      episodes.length
        ? `${plural(episodes.length, 'episode')}. An episode ends only where it is seen gone with every compared source read.`
        : 'The sources agreed throughout (where they could be compared).',
    ],
    groups,
  };
}

function availabilityRows(sources: readonly SourceAvailability[], collections: number): Cell[][] {
  return sources.map((a) => [
    cell(a.source),
    cell(`${a.ok} of ${collections}`, a.ok === collections ? 'good' : undefined),
    cell(String(a.failed), a.failed ? 'bad' : undefined),
    cell(a.errorKinds.map((e) => `${e.kind} ×${e.count}`).join(', ') || '—'),
  ]);
}

export function sourcesSection(
  sources: readonly SourceAvailability[],
  collections: number,
  leaders: readonly LeaderChange[],
  outages: readonly SourceOutage[],
  maxRows: number,
): Section {
  const groups: TableGroup[] = [
    // One row per source: never capped.
    tableGroup(`Source availability (${plural(collections, 'collection')})`, ['Source', 'Read', 'Failed', 'Errors'], availabilityRows(sources, collections), Infinity),
  ];
  const ep = (e: LeaderChange['before']) => (e ? formatEndpoint(e) : 'no leader');
  if (leaders.length) {
    groups.push(
      tableGroup(
        `Leader changes (${leaders.length})`,
        ['Service', 'When', 'Before', 'After'],
        leaders.map((l) => [cell(l.service, 'warn'), cell(formatBetween(l.at)), cell(ep(l.before)), cell(ep(l.after), l.after ? undefined : 'bad')]),
        maxRows,
      ),
    );
  }
  if (outages.length) {
    groups.push(
      tableGroup(
        `Source outages (${outages.length})`,
        ['Source', 'From', 'To', 'Collections', 'Error'],
        outages.map((o) => [cell(o.source, 'bad'), cell(formatMark(o.from)), cell(formatMark(o.to)), cell(String(o.collections)), cell(o.error)]),
        maxRows,
      ),
    );
  }
  const notes = [
    outages.length
      ? `${plural(outages.length, 'run')} of collections in which a source could not be read (its facts there are as last read).`
      : 'Every source was read in every collection.',
    leaders.length ? `${plural(leaders.length, 'leader change')}.` : 'No leader changed.',
  ];
  return { id: 'sources', title: 'Sources and leaders', notes, groups };
}
