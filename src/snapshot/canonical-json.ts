// JSON with object keys sorted, so equal values always compare equal as text.
// Written out by hand rather than through JSON.stringify's replacer, which
// copies every object to sort it: the collector serializes every fact of
// every collection, and diffs compare values with it. The order is the one
// that sorted copy had, which is what the history stores: keys that are array
// indices first, by number (JavaScript objects list them first), then the
// rest in sorted order.
function write(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      // undefined, functions and symbols: left out of objects, null in arrays (as JSON.stringify does)
      if (typeof value === 'bigint') throw new TypeError('canonicalJson: BigInt is not JSON');
      return undefined;
  }
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return write(withToJson.toJSON());
  if (Array.isArray(value)) return enclosed('[', value.map((v) => write(v) ?? 'null'), ']');
  const parts: string[] = [];
  const obj = value as Record<string, unknown>;
  for (const key of sortedKeys(obj)) {
    const text = write(obj[key]);
    if (text !== undefined) parts.push(`${quotedKey(key)}:${text}`);
  }
  return enclosed('{', parts, '}');
}

// `${open}${parts.join(',')}${close}` as one flat string. The collector keeps
// each fact's text for as long as it holds (the head state, encoded-facts.ts):
// a template's result is a chain of V8 cons strings, and once compared it is
// flattened into a copy while its 32-byte cons shell stays, ~55,000 shells
// (1.7 MiB) in the daemon at 5,000 hosts. Array.join writes a flat string.
function enclosed(open: string, parts: string[], close: string): string {
  if (parts.length === 0) return open + close;
  parts[0] = open + parts[0];
  parts[parts.length - 1] += close;
  return parts.join(',');
}

/**
 * Each key's JSON text, kept: a collection writes the same few keys hundreds
 * of thousands of times. Bounded: a source of ever new keys costs at most this many.
 */
const QUOTED_KEYS_MAX = 4096;
const quotedKeys = new Map<string, string>();

function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < QUOTED_KEYS_MAX) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/**
 * Objects with the same keys in the same order (a shape: every HostConfig,
 * every placement, every probe verdict) sort them the same way, so each
 * shape's order is kept, found by its first key and compared key by key
 * (Object.keys hands back the same interned strings each time: a comparison
 * is cheap). Bounded, in all, per first key and in keys (a large map is
 * sorted afresh: its sorting costs little beside its writing), like the quoted keys.
 * With both, a 5,000-host collection's values encode in ~0.6x the time
 * (docs/performance-log.md, "Daemon").
 */
const SHAPES_MAX = 1024;
const SHAPES_PER_FIRST_KEY = 16;
const SHAPE_KEYS_MAX = 64;
const orderOfShape = new Map<string, { keys: readonly string[]; sorted: readonly string[] }[]>();
let shapeCount = 0;

function sortedKeys(obj: object): readonly string[] {
  const keys = Object.keys(obj);
  if (keys.length < 2) return keys;
  const shapes = orderOfShape.get(keys[0]!);
  if (shapes) for (const shape of shapes) if (sameList(shape.keys, keys)) return shape.sorted;
  const sorted = inOrder([...keys]);
  if (shapeCount < SHAPES_MAX && (shapes?.length ?? 0) < SHAPES_PER_FIRST_KEY && keys.length <= SHAPE_KEYS_MAX) {
    if (shapes) shapes.push({ keys, sorted });
    else orderOfShape.set(keys[0]!, [{ keys, sorted }]);
    shapeCount++;
  }
  return sorted;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const startsWithDigit = (key: string) => key.charCodeAt(0) >= 48 && key.charCodeAt(0) <= 57;
const INDEX = /^(?:0|[1-9]\d{0,9})$/;
const isIndex = (key: string) => INDEX.test(key) && Number(key) < 4294967295;

/** Keys that are array indices first, by number, then the rest sorted; only a key starting with a digit can be an index. */
function inOrder(keys: string[]): string[] {
  if (!keys.some(startsWithDigit)) return keys.sort();
  const indices = keys.filter(isIndex).sort((a, b) => Number(a) - Number(b));
  if (indices.length === 0) return keys.sort();
  return [...indices, ...keys.filter((k) => !isIndex(k)).sort()];
}

export function canonicalJson(value: unknown): string {
  return write(value) ?? 'undefined';
}
