// The report as one self-contained HTML page (pure): inline CSS, an inline
// SVG chart, no script, no font, no image file, and a Content-Security-Policy
// that forbids the page from loading anything at all, so it opens the same
// offline, attached to a ticket or from a file share. Tables are grouped in
// <details>: small groups open, large ones collapsed, each capped.
import { escapeHtml as e } from './escape.js';
import type { Cell, ReportDocument, Section, TableGroup } from './report-document.js';
import type { SeriesPoint } from './report-model.js';
import { MARKER_COLORS, pointPath, renderChart, SERIES } from './svg-chart.js';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #212121; margin: 0; background: #fafafa; }
header { background: #263238; color: #fff; padding: 16px 24px; }
header h1 { margin: 0; font-size: 20px; font-weight: 600; }
header p { margin: 4px 0 0; color: #cfd8dc; }
nav ul { list-style: none; margin: 0; padding: 8px 24px; display: flex; flex-wrap: wrap; gap: 4px 16px; background: #eceff1; }
nav a { color: #0d47a1; text-decoration: none; }
main { padding: 8px 24px 48px; max-width: 1400px; }
section { margin-top: 20px; }
h2 { font-size: 18px; margin: 0 0 6px; border-bottom: 2px solid #cfd8dc; padding-bottom: 4px; }
p.note { margin: 4px 0; color: #455a64; }
details { margin: 8px 0; background: #fff; border: 1px solid #dfe3e6; border-radius: 4px; }
summary { cursor: pointer; padding: 6px 10px; font-weight: 600; background: #f5f7f8; }
details[open] > summary { border-bottom: 1px solid #dfe3e6; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 4px 10px; border-bottom: 1px solid #eceff1; }
th { background: #fbfcfc; font-weight: 600; white-space: nowrap; }
tbody tr:hover { background: #f5faff; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.more { margin: 0; padding: 6px 10px; color: #6d4c41; font-style: italic; }
.tone-bad { color: #b71c1c; font-weight: 600; }
.tone-warn { color: #8d5a00; }
.tone-good { color: #1b5e20; }
.tone-muted { color: #9e9e9e; }
.tone-changed { background: #fff59d; font-weight: 600; }
.chips { display: block; margin-top: 2px; }
.chip { display: inline-block; margin: 1px 3px 1px 0; padding: 0 5px; border: 1px solid #dfe3e6; border-radius: 3px; font-size: 12px; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
.chip.tone-changed { border-color: #f9a825; }
.chip.tone-bad { border-color: #ef9a9a; background: #ffebee; }
figure { margin: 8px 0; background: #fff; border: 1px solid #dfe3e6; border-radius: 4px; padding: 8px; }
svg.chart { width: 100%; height: auto; display: block; }
svg.chart .hover:hover { fill: rgba(21, 101, 192, 0.08); }
ul.legend { list-style: none; margin: 6px 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 6px 22px; }
ul.legend li { display: flex; align-items: center; gap: 6px; }
`;

function cellHtml(c: Cell, tag: 'td' | 'span'): string {
  const cls = [tag === 'span' ? 'chip' : '', c.tone ? `tone-${c.tone}` : ''].filter(Boolean).join(' ');
  const attrs = `${cls ? ` class="${cls}"` : ''}${c.title ? ` title="${e(c.title)}"` : ''}`;
  const chips = c.chips?.length ? `<span class="chips">${c.chips.map((x) => cellHtml(x, 'span')).join(' ')}</span>` : '';
  return `<${tag}${attrs}>${e(c.text)}${chips}</${tag}>`;
}

function groupHtml(g: TableGroup): string {
  const head = g.columns.map((c) => `<th scope="col">${e(c)}</th>`).join('');
  const body = g.rows.map((r) => `<tr>${r.map((c) => cellHtml(c, 'td')).join('')}</tr>`).join('\n');
  const left = g.total - g.rows.length;
  const more = left > 0 ? `\n<p class="more">${left} more not shown (${g.rows.length} of ${g.total}); raise --max-rows to see them.</p>` : '';
  return (
    `<details${g.open ? ' open' : ''}><summary>${e(g.title)}</summary>\n` +
    `<table><caption class="sr-only">${e(g.title)}</caption><thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>${more}\n</details>`
  );
}

function swatch(svg: string): string {
  return `<svg width="28" height="14" viewBox="0 0 28 14" aria-hidden="true">${svg}</svg>`;
}

function legendHtml(): string {
  const items = [
    ...SERIES.map((s) => [
      swatch(
        `<line x1="1" x2="27" y1="7" y2="7" stroke="${s.color}" stroke-width="${s.width}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>` +
          `<path d="${pointPath(s.shape, 14, 7)}" fill="${s.color}"/>`,
      ),
      s.label,
    ]),
    [swatch(`<path d="M14 1 l7 12 l-14 0 z" fill="${MARKER_COLORS.partial}"/>`), 'partial collection (some sources not read)'],
    [swatch(`<path d="M14 1 l7 12 l-14 0 z" fill="${MARKER_COLORS.unavailable}"/>`), 'unavailable collection (nothing read)'],
    [swatch(`<line x1="14" x2="14" y1="0" y2="14" stroke="${MARKER_COLORS.leader}" stroke-width="1.5" stroke-dasharray="4 3"/>`), 'leader change'],
  ];
  return `<ul class="legend" aria-label="Legend">${items.map(([s, l]) => `<li>${s}<span>${e(l!)}</span></li>`).join('')}</ul>`;
}

function sectionHtml(s: Section, series: readonly SeriesPoint[]): string {
  const parts = [`<section id="${e(s.id)}" aria-labelledby="h-${e(s.id)}">`, `<h2 id="h-${e(s.id)}">${e(s.title)}</h2>`];
  if (s.chart) {
    parts.push(
      `<figure>${renderChart(series)}<figcaption>${legendHtml()}<p class="note">Hover a point or a column for its values. Unknown values (source not read) leave a gap in their line.</p></figcaption></figure>`,
    );
  }
  for (const n of s.notes) parts.push(`<p class="note">${e(n)}</p>`);
  for (const g of s.groups) parts.push(groupHtml(g));
  parts.push('</section>');
  return parts.join('\n');
}

export function renderHtml(doc: ReportDocument, series: readonly SeriesPoint[]): string {
  const nav = doc.sections.map((s) => `<li><a href="#${e(s.id)}">${e(s.title)}</a></li>`).join('');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(doc.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${e(doc.title)}</h1><p>${e(doc.subtitle)}</p></header>`,
    `<nav aria-label="Sections"><ul>${nav}</ul></nav>`,
    '<main>',
    ...doc.sections.map((s) => sectionHtml(s, series)),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
