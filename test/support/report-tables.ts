// Reads the tables back out of a rendered report, HTML or Markdown, as plain
// text, so tests can check that both formats state the same facts.
export interface ParsedTable {
  title: string;
  columns: string[];
  /** Each row's first cell (what the row is about: a host, a leaf, a collection). */
  keys: string[];
  /** The "N more not shown" count; 0 when none. */
  more: number;
  open?: boolean;
}

function unescapeHtml(s: string): string {
  return s
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCharCode(Number(d)))
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"');
}

export function htmlTables(html: string): ParsedTable[] {
  const out: ParsedTable[] = [];
  for (const m of html.matchAll(/<details( open)?><summary>([\s\S]*?)<\/summary>([\s\S]*?)<\/details>/g)) {
    const body = m[3]!;
    const columns = [...(/<thead>([\s\S]*?)<\/thead>/.exec(body)?.[1] ?? '').matchAll(/<th[^>]*>([\s\S]*?)<\/th>/g)].map((c) => unescapeHtml(c[1]!));
    const rows = [...(/<tbody>([\s\S]*?)<\/tbody>/.exec(body)?.[1] ?? '').matchAll(/<tr>([\s\S]*?)<\/tr>/g)];
    const keys = rows.map((r) => unescapeHtml(/<td[^>]*>([\s\S]*?)<\/td>/.exec(r[1]!)![1]!));
    const more = Number(/<p class="more">(\d+) more not shown/.exec(body)?.[1] ?? 0);
    out.push({ title: unescapeHtml(m[2]!), columns, keys, more, open: m[1] !== undefined });
  }
  return out;
}

function unescapeMd(s: string): string {
  return s.replace(/\*\*/g, '').replace(/\\(.)/g, '$1').trim();
}

/** Splits a table line on the pipes that are not escaped. */
function cells(line: string): string[] {
  return line
    .slice(2, -2)
    .split(/(?<!\\) \| /)
    .map(unescapeMd);
}

export function markdownTables(md: string): ParsedTable[] {
  const out: ParsedTable[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const title = /^\*\*(.*)\*\*$/.exec(lines[i]!);
    if (!title || !lines[i + 2]?.startsWith('| ')) continue;
    const columns = cells(lines[i + 2]!);
    const keys: string[] = [];
    let j = i + 4;
    for (; lines[j]?.startsWith('| '); j++) keys.push(cells(lines[j]!)[0]!);
    const more = Number(/^_(\d+) more not shown/.exec(lines[j + 1] ?? '')?.[1] ?? 0);
    out.push({ title: unescapeMd(title[1]!), columns, keys, more });
  }
  return out;
}
