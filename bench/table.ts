// Plain-text tables for the bench's printed report (pure).
export type Cell = string | number | null;

function cellText(c: Cell): string {
  if (c === null) return '-';
  if (typeof c === 'number') return Number.isInteger(c) ? String(c) : c.toFixed(c >= 100 ? 0 : c >= 10 ? 1 : 2);
  return c;
}

/** Numbers right-aligned, text left-aligned, a rule under the header. */
export function table(title: string, header: string[], rows: Cell[][]): string {
  const text = [header, ...rows.map((r) => r.map(cellText))];
  const width = header.map((_, i) => Math.max(...text.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.every((r) => typeof r[i] === 'number' || r[i] === null));
  const line = (r: string[]) => r.map((c, i) => (numeric[i] ? c.padStart(width[i]!) : c.padEnd(width[i]!))).join('  ').trimEnd();
  return [`\n${title}`, line(header), width.map((w) => '-'.repeat(w)).join('  '), ...text.slice(1).map(line)].join('\n');
}
