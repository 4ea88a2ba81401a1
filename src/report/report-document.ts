// A report as sections of grouped, capped tables of text (pure data). Both
// renderers print exactly these cells, so HTML and Markdown state the same
// facts; the HTML page only adds the chart. Capping happens here: a group
// keeps at most `maxRows` rows and says how many it left out.

/** How a cell is emphasised: bad (missing, offline, failed), changed (differs between start and end), ... */
export type Tone = 'bad' | 'warn' | 'good' | 'changed' | 'muted';

export interface Cell {
  text: string;
  tone?: Tone;
  /** More detail (HTML: a tooltip; Markdown: in parentheses when `chips` are used). */
  title?: string;
  /** Small items inside the cell (the hosts of a leaf), each with its own emphasis. */
  chips?: Cell[];
}

export interface TableGroup {
  title: string;
  columns: string[];
  /** At most the document's maxRows. */
  rows: Cell[][];
  /** Rows before capping; total - rows.length were left out. */
  total: number;
  /** Small groups start expanded, large ones collapsed (HTML). */
  open: boolean;
}

export interface Section {
  id: string;
  title: string;
  /** Sentences shown before the tables. */
  notes: string[];
  /** The HTML page draws the timeline chart at the top of this section. */
  chart?: boolean;
  groups: TableGroup[];
}

export interface ReportDocument {
  title: string;
  subtitle: string;
  maxRows: number;
  sections: Section[];
}

/** Groups with more rows than this start collapsed. */
export const OPEN_LIMIT = 25;

export function cell(text: string, tone?: Tone, title?: string): Cell {
  const c: Cell = { text };
  if (tone) c.tone = tone;
  if (title) c.title = title;
  return c;
}

export function tableGroup(title: string, columns: string[], rows: Cell[][], maxRows: number): TableGroup {
  return { title, columns, rows: rows.slice(0, maxRows), total: rows.length, open: rows.length <= OPEN_LIMIT };
}

/** "a, b, c and 17 more" — at most `max` names. */
export function nameList(names: readonly string[], max: number): string {
  if (names.length === 0) return 'none';
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
