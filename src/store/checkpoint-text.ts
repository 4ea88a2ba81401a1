// A checkpoint's inflated bytes read as its kind groups (pure), in pieces.
//
// Why not one JSON.parse of one string: a state's text is 0.3–4 MB, and V8
// places a string that large in its large-object space, whose fresh pages cost
// a fault each on this machine kind. Measured on the 525,600-snapshot bench
// history's latest 746 KB placement checkpoint: the bytes as one string 2.1–2.9
// ms, that string's JSON.parse 0.6–1.3 ms; the same bytes as 48 KB pieces, each
// parsed alone, 1.3 ms in all (Node 20.20, 2 cores). A `show` reads four such
// states, `show --json` and a distant `diff` more.
//
// The text is what encodeState wrote (checkpoint-format.ts): JSON.stringify of
// {kind: [string, ...], ...}. Inside a JSON string every quote is escaped, so
// where the bytes `","` have an unescaped first quote, that quote either closes
// an element (a cut may fall after it) or opens one whose text starts with a
// comma. `],"` likewise ends a kind's array or a string that ends in `],`. A
// piece is parsed as `[` + its bytes + `]` from a position known to be between
// elements, so a wrong guess leaves a string open and fails its parse; then
// the whole text is parsed at once, as before. The brackets are written over
// the bytes either side of the piece (a bracket already, or a comma between
// elements) and put back after: the piece then costs one string, not a second
// with the brackets around it. A piece that parses ended where
// it was cut, so what the pieces give is what the whole parse gives (the test
// walks both over texts made of quotes, backslashes, commas and brackets).
import { isAscii } from 'node:buffer';
import { FACT_KINDS, type FactKind } from '../snapshot/fact.js';

const KINDS: ReadonlySet<string> = new Set(FACT_KINDS);
const OPEN = Buffer.from('":[');
const NEXT = Buffer.from('],"');
const BETWEEN = Buffer.from('","');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const BRACE_OPEN = 0x7b;
const BRACE_CLOSE = 0x7d;
const BRACKET_OPEN = 0x5b;
const BRACKET_CLOSE = 0x5d;

/** Bytes per piece: well under V8's regular object limit (~128 KB), and few pieces per state. */
const PIECE_BYTES = 48 * 1024;

type Groups = Map<FactKind, string[]>;

/**
 * kind → [entity, value, entity, value, ...]; null: not kind groups of strings (a damaged file).
 * `bytes` are written to while a piece is parsed and are as they were when this returns.
 */
export function parseStateText(bytes: Buffer): Groups | null {
  const encoding = isAscii(bytes) ? 'latin1' : 'utf8';
  const slice = (s: number, e: number) => bytes.toString(encoding, s, e);
  try {
    return inPieces(bytes, slice) ?? groupsOf(JSON.parse(slice(0, bytes.length)));
  } catch {
    return null;
  }
}

/** The groups read a piece at a time; null where a guess at a cut was wrong or the text is not encodeState's. Cuts fall on ASCII bytes, so UTF-8 pieces decode alone. */
function inPieces(bytes: Buffer, slice: (s: number, e: number) => string): Groups | null {
  if (bytes.length < 2 || bytes[0] !== BRACE_OPEN || bytes[bytes.length - 1] !== BRACE_CLOSE) return null;
  const groups: Groups = new Map();
  for (let p = 1; p < bytes.length - 1; ) {
    const nameEnd = bytes.indexOf(OPEN, p);
    if (bytes[p] !== QUOTE || nameEnd === -1) return null;
    const kind = slice(p + 1, nameEnd);
    if (!KINDS.has(kind)) return null;
    const next = bytes.indexOf(NEXT, nameEnd + OPEN.length);
    // The array's closing bracket: before the next kind, or the text's last but one byte.
    const end = next === -1 ? bytes.length - 2 : next;
    if (bytes[end] !== BRACKET_CLOSE) return null;
    const list = listInPieces(bytes, nameEnd + OPEN.length, end, slice);
    if (!list) return null;
    groups.set(kind as FactKind, list);
    p = end + 2;
  }
  return groups;
}

/** The strings between `[` and `]` (bytes start..end), a piece at a time; null unless every piece parses to strings. */
function listInPieces(bytes: Buffer, start: number, end: number, slice: (s: number, e: number) => string): string[] | null {
  const pieces: unknown[][] = [];
  let from = start;
  while (end - from > PIECE_BYTES) {
    const cut = quoteBeforeComma(bytes, from + PIECE_BYTES, end);
    if (cut === -1) break;
    const piece = parsedArray(bytes, from, cut + 1, slice);
    if (!piece) return null;
    pieces.push(piece);
    from = cut + 2;
  }
  const last = parsedArray(bytes, from, end, slice);
  if (!last) return null;
  pieces.push(last);
  // concat, not flat(): an element that is itself an array must stay one (and fail below).
  const list = pieces.length === 1 ? pieces[0]! : ([] as unknown[]).concat(...pieces);
  return list.every((x) => typeof x === 'string') ? (list as string[]) : null;
}

/** The elements in bytes [from, to) as one array, its brackets written over the bytes either side of them for the parse. */
function parsedArray(bytes: Buffer, from: number, to: number, slice: (s: number, e: number) => string): unknown[] | null {
  const before = bytes[from - 1]!;
  const after = bytes[to]!;
  bytes[from - 1] = BRACKET_OPEN;
  bytes[to] = BRACKET_CLOSE;
  try {
    return JSON.parse(slice(from - 1, to + 1)) as unknown[];
  } catch {
    return null;
  } finally {
    bytes[from - 1] = before;
    bytes[to] = after;
  }
}

/** The first `","` in [from, end) whose first quote is not escaped (its position), or -1. */
function quoteBeforeComma(bytes: Buffer, from: number, end: number): number {
  for (let p = bytes.indexOf(BETWEEN, from); p !== -1 && p < end; p = bytes.indexOf(BETWEEN, p + 1)) {
    let backslashes = 0;
    while (bytes[p - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return p;
  }
  return -1;
}

/** The whole text's parse as kind groups of strings; null when it is not. */
function groupsOf(parsed: unknown): Groups | null {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const groups: Groups = new Map();
  for (const [kind, list] of Object.entries(parsed)) {
    if (!KINDS.has(kind) || !Array.isArray(list) || !list.every((x) => typeof x === 'string')) return null;
    groups.set(kind as FactKind, list as string[]);
  }
  return groups;
}
