// JSON.stringify(value, null, 2), the same bytes, made in pieces when they
// are many (WHOLE_CHARS) or too many for one string. The `timeline --json`
// of a 525,600-snapshot history (a year of one-minute collections) is ~430
// MB of text, close to V8's limit on a string's length (~512 MiB: "Invalid
// string length" past it, and a longer history's answer went nowhere). The
// outer arrays and plain objects are walked here, each of their items
// printed by JSON.stringify itself and indented to its depth: JSON.stringify
// escapes every newline inside a string, so each newline it prints starts a
// line.
//
// A long list is printed a batch of items at a time (one JSON.stringify of
// each slice), and a large map a batch of entries, so a timeline's events or
// a snapshot's 5,000 statuses cost about what they cost printed whole.
// Long answers are printed in pieces before they reach the limit
// (WHOLE_CHARS); short ones whole, which is quickest for them.

/** How deep the walk goes before an item is printed whole (a timeline's events sit at depth 2). */
const WALKED_DEPTHS = 4;

function ownToJson(v: unknown): v is { toJSON: (key: string) => unknown } {
  return v !== null && (typeof v === 'object' || typeof v === 'bigint') && typeof (v as { toJSON?: unknown }).toJSON === 'function';
}

/** What JSON.stringify prints a value as: its toJSON's answer, where it has one. */
function jsonValue(v: unknown, key: string): unknown {
  return ownToJson(v) ? v.toJSON(key) : v;
}

/** Left out of an object, null in an array. */
function unprintable(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/** Only arrays and plain objects are walked: JSON.stringify prints anything else (boxed values, Maps, class instances) its own way. */
function walkable(v: unknown): v is unknown[] | Record<string, unknown> {
  if (Array.isArray(v)) return true;
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A long list's items, or a large map's entries, are printed this many at a time by one JSON.stringify. */
const BATCH_ITEMS = 1000;

/**
 * A part of a list or a map (a slice of its items, or an object of some of
 * its entries) as it stands in the answer at `indent`: each item or entry on
 * its own line, without the brackets; '' for a map part that prints no entry.
 * undefined when its text is too long for one string.
 */
function partText(part: unknown[] | Record<string, unknown>, indent: string): string | undefined {
  // The part inside as many one-item arrays as its list's depth: JSON.stringify then indents
  // its lines as they stand in the answer, and no copy re-indents them.
  const depth = indent.length / 2;
  let nested: unknown = part;
  for (let d = 0; d < depth; d++) nested = [nested];
  let text: string;
  try {
    text = JSON.stringify(nested, null, 2);
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
  // Depth 1: '[\n  [\n    a,\n    b\n  ]\n]'. What opens the part's lines ('[' or '{' and, per level
  // of nesting d, '\n', 2d spaces, '['), and one character more closes them.
  const opening = 1 + depth * (depth + 3);
  return text.slice(opening, text.length - opening - 1);
}

/**
 * Items [start, end) of a list, as partText prints them; undefined also for
 * an item with a toJSON of its own (a slice would tell it its index in the
 * slice, not in the list). Where undefined, the items are walked one by one.
 */
function listBatch(v: unknown[], start: number, end: number, indent: string): string | undefined {
  for (let k = start; k < end; k++) if (ownToJson(v[k])) return undefined;
  return partText(v.slice(start, end), indent);
}

/**
 * Entries keys[start, end) of a map, as partText prints them (a value's toJSON is
 * told its own key here too). The part has no prototype, so a key "__proto__" is an entry like any other.
 */
function mapBatch(v: Record<string, unknown>, keys: readonly string[], start: number, end: number, indent: string): string | undefined {
  const part = Object.create(null) as Record<string, unknown>;
  for (let k = start; k < end; k++) part[keys[k]!] = v[keys[k]!];
  return partText(part, indent);
}

function* pieces(v: unknown, indent: string, depth: number): Generator<string> {
  if (depth >= WALKED_DEPTHS || !walkable(v)) {
    const text = JSON.stringify(v, null, 2);
    yield indent ? text.replaceAll('\n', `\n${indent}`) : text;
    return;
  }
  if (Array.isArray(v)) yield* listPieces(v, indent, depth);
  else yield* mapPieces(v, indent, depth);
}

function* listPieces(v: unknown[], indent: string, depth: number): Generator<string> {
  if (v.length === 0) return yield '[]';
  const inner = `${indent}  `;
  yield '[';
  for (let start = 0; start < v.length; start += BATCH_ITEMS) {
    const end = Math.min(v.length, start + BATCH_ITEMS);
    // A short list is walked item by item: a batch pays only for many items, and a few may each be long.
    const batch = v.length > BATCH_ITEMS ? listBatch(v, start, end, indent) : undefined;
    if (batch !== undefined) {
      yield `${start ? ',' : ''}${batch}`;
      continue;
    }
    for (let i = start; i < end; i++) {
      yield `${i ? ',' : ''}\n${inner}`;
      const item = jsonValue(v[i], String(i));
      if (unprintable(item)) yield 'null';
      else yield* pieces(item, inner, depth + 1);
    }
  }
  yield `\n${indent}]`;
}

function* mapPieces(v: Record<string, unknown>, indent: string, depth: number): Generator<string> {
  const inner = `${indent}  `;
  const keys = Object.keys(v);
  let first = true;
  for (let start = 0; start < keys.length; start += BATCH_ITEMS) {
    const end = Math.min(keys.length, start + BATCH_ITEMS);
    const batch = keys.length > BATCH_ITEMS ? mapBatch(v, keys, start, end, indent) : undefined;
    if (batch !== undefined) {
      // '': no entry of the batch prints (each value undefined, a function or a symbol).
      if (batch) {
        yield `${first ? '{' : ','}${batch}`;
        first = false;
      }
      continue;
    }
    for (let k = start; k < end; k++) {
      const item = jsonValue(v[keys[k]!], keys[k]!);
      if (unprintable(item)) continue;
      yield `${first ? '{' : ','}\n${inner}${JSON.stringify(keys[k])}: `;
      first = false;
      yield* pieces(item, inner, depth + 1);
    }
  }
  yield first ? '{}' : `\n${indent}}`;
}

/**
 * JSON.stringify(value, null, 2) in pieces whose concatenation is exactly
 * that text (undefined, where JSON.stringify answers undefined, is no piece).
 */
export function* jsonPieces(value: unknown): Generator<string> {
  const v = jsonValue(value, '');
  if (unprintable(v)) return;
  yield* pieces(v, '', 0);
}

/** The text whole; null when it is too long for one string (RangeError). */
function wholeText(value: unknown, stringify: (v: unknown) => string | undefined): string | undefined | null {
  try {
    return stringify(value);
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
}

/**
 * An answer whose text would pass this many characters (compact, estimated
 * by estimatedChars) is printed in pieces, though it would fit in one
 * string: printed whole, its text is built, copied by JSON.stringify's
 * builder and again into bytes for the write, 3-4x the text in memory beside
 * the answer itself. The whole history's `timeline --json` at 525,600
 * snapshots (427 MB): peak RSS 3.19 GB and 31-36 s whole, 0.87-1.27 GB and
 * 18-20 s in pieces (docs/performance-log.md, 2026-12-08). Short answers stay
 * whole, which is a little quicker for them: `show --json` (11 MB) in pieces
 * took 1.05x the time and 7 MiB more memory (8 alternating calls).
 */
const WHOLE_CHARS = 16 << 20;

/** Items of a long list whose text is measured to estimate the list's. */
const SAMPLED_ITEMS = 16;

/**
 * The compact text's length of the long lists in an answer's first levels,
 * where the answers keep theirs (a timeline's events, the snapshots, drift
 * episodes): each list's length times the mean of a few of its items.
 */
function estimatedChars(v: unknown, depth: number): number {
  if (depth > 2 || !walkable(v)) return 0;
  if (!Array.isArray(v)) {
    let n = 0;
    for (const key in v) n += estimatedChars(v[key], depth + 1);
    return n;
  }
  if (v.length <= SAMPLED_ITEMS) return 0;
  let sampled = 0;
  for (let k = 0; k < SAMPLED_ITEMS; k++) {
    const text = wholeText(v[Math.floor((k * v.length) / SAMPLED_ITEMS)], JSON.stringify);
    // An item too long for one string: the list is too.
    if (text === null) return Infinity;
    sampled += text?.length ?? 4;
  }
  return (sampled / SAMPLED_ITEMS) * v.length;
}

/** Pieces of the JSON text are gathered into writes of about this many characters. */
const WRITE_CHARS = 1 << 20;

/**
 * Writes JSON.stringify(value, null, 2) and a newline: whole, or in pieces of
 * about 1 MiB when that text is long (WHOLE_CHARS) or too long for one string.
 * `stringify` is JSON.stringify's pretty print unless a test says otherwise.
 */
export function writeJson(value: unknown, write: (text: string) => void, stringify = (v: unknown) => JSON.stringify(v, null, 2)): void {
  const whole = estimatedChars(value, 0) > WHOLE_CHARS ? null : wholeText(value, stringify);
  if (whole !== null) return write(`${whole}\n`);
  let pending = '';
  for (const piece of jsonPieces(value)) {
    pending += piece;
    if (pending.length >= WRITE_CHARS) {
      write(pending);
      pending = '';
    }
  }
  write(`${pending}\n`);
}
