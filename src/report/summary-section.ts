// The report's first section (pure): the window, its collections and the
// headline counts.
import { formatDuration } from '../util/time.js';
import { formatMark } from '../present/time-bounds.js';
import { cell, nameList, tableGroup, type Cell, type Section } from './report-document.js';
import type { ReportModel } from './report-model.js';
import { blastLine, type BlastRadius } from '../query/blast-radius.js';

/** Host ids named in the summary before "and N more". */
const NAMES_IN_SUMMARY = 30;

function counted(names: readonly string[], tone: 'bad' | 'warn'): Cell {
  return cell(`${names.length}${names.length ? `: ${nameList(names, NAMES_IN_SUMMARY)}` : ''}`, names.length ? tone : undefined);
}

function byCount(counts: Record<string, number | undefined>): string {
  const parts = Object.entries(counts)
    .filter((e): e is [string, number] => (e[1] ?? 0) > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([k, n]) => `${k} ${n}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function blastCell(b: BlastRadius, verb: string): Cell {
  const line = blastLine(b, verb);
  return cell(line || 'none', line ? 'warn' : undefined);
}

function factRows(m: ReportModel): Cell[][] {
  const s = m.summary;
  const { first, last } = m.window;
  const o = s.outcomes;
  const failed = o.partial + o.unavailable;
  const rows: [string, Cell][] = [
    ['Window', cell(`${formatMark(first)} → ${formatMark(last)} (${formatDuration(last.startedAt - first.startedAt)})`)],
    ['Collections', cell(`${s.collections}: ${o.complete} complete, ${o.partial} partial, ${o.unavailable} unavailable`, failed ? 'warn' : undefined)],
    ['Hosts that went missing', counted(s.missingHosts, 'bad')],
    [
      s.missingUnknownAtEnd ? 'Still missing (as of the last /missing read; not read at the end)' : 'Still missing at the end',
      counted(s.stillMissing, 'bad'),
    ],
    ['Missing hosts by leaf and zone', blastCell(s.missingBlastRadius, 'missing')],
    ['Nodes probed OFFLINE', counted(s.offlineNodes, 'bad')],
    ['Still OFFLINE at the end', counted(s.stillOffline, 'bad')],
    [
      'Drift episodes',
      cell(`${s.drift.episodes}${s.drift.open ? `, ${s.drift.open} still open` : ''}${byCount(s.drift.byKind)}`, s.drift.episodes ? 'warn' : undefined),
    ],
    ['Hosts drift affects, by leaf and zone', blastCell(s.driftBlastRadius, 'affected')],
    ['Leader changes', cell(String(s.leaderChanges), s.leaderChanges ? 'warn' : undefined)],
    ['Changes recorded', cell(`${s.changes.total}${byCount(s.changes.counts)}`)],
  ];
  return rows.map(([k, v]) => [cell(k), v]);
}

/** Not capped: the table has a fixed number of rows. */
export function summarySection(m: ReportModel): Section {
  return {
    id: 'summary',
    title: 'Summary',
    notes: [
      `Every time below is the start of a collection (UTC): a change is only known to lie between the last read that did not see it and the first that did. ` +
        `A source that could not be read is unknown in that collection, never empty.`,
    ],
    groups: [
      tableGroup('What happened', ['Fact', 'Value'], factRows(m), Infinity),
    ],
  };
}
