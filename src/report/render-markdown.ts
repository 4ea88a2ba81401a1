// The report as Markdown for pasting into a ticket (pure): the same sections
// and the same cells as the HTML page, as GitHub-flavoured tables. Nothing
// collapses in Markdown, so the row caps are what keep it short; differences
// between start and end are bold.
import { escapeMarkdownCell as md } from './escape.js';
import type { Cell, ReportDocument, Section, TableGroup } from './report-document.js';

function text(c: Cell): string {
  const t = md(c.text);
  return c.tone === 'changed' ? `**${t}**` : t;
}

function cellMd(c: Cell): string {
  const chips = c.chips?.length ? `: ${c.chips.map(text).join(', ')}` : '';
  return `${text(c)}${chips}`;
}

function groupMd(g: TableGroup): string[] {
  const lines = [
    `**${md(g.title)}**`,
    '',
    `| ${g.columns.map(md).join(' | ')} |`,
    `|${g.columns.map(() => '---').join('|')}|`,
    ...g.rows.map((r) => `| ${r.map(cellMd).join(' | ')} |`),
  ];
  const left = g.total - g.rows.length;
  if (left > 0) lines.push('', `_${left} more not shown (${g.rows.length} of ${g.total}); raise --max-rows to see them._`);
  lines.push('');
  return lines;
}

function sectionMd(s: Section): string[] {
  return [`## ${md(s.title)}`, '', ...s.notes.flatMap((n) => [md(n), '']), ...s.groups.flatMap(groupMd)];
}

export function renderMarkdown(doc: ReportDocument): string {
  return [`# ${md(doc.title)}`, '', md(doc.subtitle), '', ...doc.sections.flatMap(sectionMd)].join('\n').replace(/\n+$/, '\n');
}
