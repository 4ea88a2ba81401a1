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
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
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

const INDEX = /^(?:0|[1-9]\d{0,9})$/;
const isIndex = (key: string) => INDEX.test(key) && Number(key) < 4294967295;

function sortedKeys(obj: object): string[] {
  const keys = Object.keys(obj);
  const indices = keys.filter(isIndex).sort((a, b) => Number(a) - Number(b));
  if (indices.length === 0) return keys.sort();
  return [...indices, ...keys.filter((k) => !isIndex(k)).sort()];
}

export function canonicalJson(value: unknown): string {
  return write(value) ?? 'undefined';
}
