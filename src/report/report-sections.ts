// The report model laid out as a document of sections (pure), in the order an
// operator reads after an incident: what happened, when, to which hosts, and
// what the tree looked like before and after.
import { formatTime } from '../util/time.js';
import { driftSection, missingSection, sourcesSection, statusSection } from './episode-sections.js';
import type { ReportDocument } from './report-document.js';
import type { ReportModel } from './report-model.js';
import { summarySection } from './summary-section.js';
import { timelineSection } from './timeline-section.js';
import { differencesSection, treeSection } from './tree-sections.js';

export const DEFAULT_MAX_ROWS = 200;

export interface DocumentOptions {
  /** Rows per table (and hosts per leaf) before "N more"; at least 1. */
  maxRows?: number;
}

export function reportDocument(m: ReportModel, options: DocumentOptions = {}): ReportDocument {
  const maxRows = Math.max(1, options.maxRows ?? DEFAULT_MAX_ROWS);
  const { first, last } = m.window;
  return {
    title: `treesnap report ${formatTime(first.startedAt)} → ${formatTime(last.startedAt)}`,
    subtitle: `Snapshots #${first.id} to #${last.id}, ${m.summary.collections} collections`,
    maxRows,
    sections: [
      summarySection(m),
      timelineSection(m.series, maxRows),
      missingSection(m.missingEpisodes, m.summary.missingUnknownAtEnd, maxRows),
      statusSection(m.statusEpisodes, maxRows),
      driftSection(m.driftEpisodes, maxRows),
      sourcesSection(m.summary.sources, m.summary.collections, m.leaderChanges, m.outages, maxRows),
      ...m.trees.map((t) => treeSection(t, maxRows)),
      differencesSection(m.differences, maxRows),
    ],
  };
}
