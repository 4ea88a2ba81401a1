// JSON.stringify(value, null, 2), the same bytes, made in pieces when they
// are too many for one string. The `timeline --json` of a 525,600-snapshot
// history (a year of one-minute collections) is ~430 MB of text, close to
// V8's limit on a string's length (~512 MiB: "Invalid string length" past
// it, and a longer history's answer went nowhere). The outer arrays and plain
// objects are walked here, each of their items printed by JSON.stringify
// itself and indented to its depth: JSON.stringify escapes every newline
// inside a string, so each newline it prints starts a line.
//
// Only past the limit: in pieces, `show --json` (11 MB) took 1.28x the time
// and 42 MiB more memory than printed whole (the pieces' garbage).

/** How deep the walk goes before an item is printed whole (a timeline's events sit at depth 2). */
const WALKED_DEPTHS = 4;

/** What JSON.stringify prints a value as: its toJSON's answer, where it has one. */
function jsonValue(v: unknown, key: string): unknown {
  if (v !== null && (typeof v === 'object' || typeof v === 'bigint') && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    return (v as { toJSON: (key: string) => unknown }).toJSON(key);
  }
  return v;
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

function* pieces(v: unknown, indent: string, depth: number): Generator<string> {
  if (depth >= WALKED_DEPTHS || !walkable(v)) {
    const text = JSON.stringify(v, null, 2);
    yield indent ? text.replaceAll('\n', `\n${indent}`) : text;
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return yield '[]';
    yield '[';
    for (let i = 0; i < v.length; i++) {
      yield `${i ? ',' : ''}\n${inner}`;
      const item = jsonValue(v[i], String(i));
      if (unprintable(item)) yield 'null';
      else yield* pieces(item, inner, depth + 1);
    }
    return yield `\n${indent}]`;
  }
  let first = true;
  for (const key of Object.keys(v)) {
    const item = jsonValue(v[key], key);
    if (unprintable(item)) continue;
    yield `${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `;
    first = false;
    yield* pieces(item, inner, depth + 1);
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

/** Pieces of the JSON text are gathered into writes of about this many characters. */
const WRITE_CHARS = 1 << 20;

/**
 * Writes JSON.stringify(value, null, 2) and a newline: whole, or, when that
 * text is too long for one string (RangeError), in pieces of about 1 MiB.
 * `stringify` is JSON.stringify's pretty print unless a test says otherwise.
 */
export function writeJson(value: unknown, write: (text: string) => void, stringify = (v: unknown) => JSON.stringify(v, null, 2)): void {
  let whole: string | undefined;
  try {
    whole = stringify(value);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    let pending = '';
    for (const piece of jsonPieces(value)) {
      pending += piece;
      if (pending.length >= WRITE_CHARS) {
        write(pending);
        pending = '';
      }
    }
    write(`${pending}\n`);
    return;
  }
  write(`${whole}\n`);
}
