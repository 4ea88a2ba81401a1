// What changed between two structured-clone values, as a patch small enough
// to post between threads (pure). The collection worker posts each
// observation as a patch against the one it posted before, which the daemon
// still holds: at 5,000 hosts an unchanged cluster's observation was ~6 MB
// cloned every tick, and its patch is the probes' latencies and the sources'
// durations. apply(previous, diff(previous, next)) is a value deep-equal to
// `next` with the same key order everywhere; the parts that did not change are
// `previous`'s own objects, shared, so neither side may mutate what it holds.

/**
 * null: unchanged. v: the new value, whole. a: an array of the same length,
 * changed at these indices (flat: index, patch, index, patch...). o: an object
 * with the same keys in the same order, changed at these keys (flat likewise).
 */
export type Patch = null | { v: unknown } | { a: unknown[] } | { o: unknown[] };

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Arrays of another length, objects with other keys or key order, and anything not plain data are sent whole. */
export function diff(previous: unknown, next: unknown): Patch {
  if (Object.is(previous, next)) return null;
  if (Array.isArray(previous) && Array.isArray(next) && previous.length === next.length) {
    const a: unknown[] = [];
    for (let i = 0; i < next.length; i++) {
      const p = diff(previous[i], next[i]);
      if (p !== null) a.push(i, p);
    }
    return a.length === 0 ? null : { a };
  }
  if (isPlainObject(previous) && isPlainObject(next)) {
    const keys = Object.keys(next);
    if (!sameKeys(Object.keys(previous), keys)) return { v: next };
    const o: unknown[] = [];
    for (const k of keys) {
      const p = diff(previous[k], next[k]);
      if (p !== null) o.push(k, p);
    }
    return o.length === 0 ? null : { o };
  }
  return { v: next };
}

/** The value `patch` describes against `previous` (which it leaves untouched). */
export function apply(previous: unknown, patch: Patch): unknown {
  if (patch === null) return previous;
  if ('v' in patch) return patch.v;
  if ('a' in patch) {
    const out = (previous as unknown[]).slice();
    for (let i = 0; i < patch.a.length; i += 2) out[patch.a[i] as number] = apply(out[patch.a[i] as number], patch.a[i + 1] as Patch);
    return out;
  }
  const out = { ...(previous as Record<string, unknown>) };
  for (let i = 0; i < patch.o.length; i += 2) {
    const k = patch.o[i] as string;
    // Also a key named __proto__ (a host id is any text): the spread made it an own data property, which this sets.
    out[k] = apply(out[k], patch.o[i + 1] as Patch);
  }
  return out;
}
