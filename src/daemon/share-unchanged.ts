// A new observation made to share what did not change with the one before
// (pure but for its second argument, which it fills in place and nobody else
// holds). The record stage remembers the canonical JSON of each reading object
// (src/snapshot/encoded-facts.ts): a source that did not change must hand over
// the very object it handed over the tick before, or an unchanged tick encodes
// 5,000 HostConfigs, 10,000 placements and their Stats again (~80 ms of CPU).
// The result is deep-equal to `next`, with the same key order everywhere.

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

/**
 * `previous` itself where `next` is deep-equal to it; else `next`, whose
 * arrays of the same length and objects with the same keys in the same order
 * now hold `previous`'s parts wherever those are deep-equal. Anything not
 * plain data (a Buffer, a class instance) is compared by identity only.
 */
export function shareUnchanged<T>(previous: unknown, next: T): T {
  if (Object.is(previous, next)) return next;
  if (Array.isArray(previous) && Array.isArray(next)) {
    if (previous.length !== next.length) return next;
    let same = true;
    for (let i = 0; i < next.length; i++) {
      const shared: unknown = shareUnchanged(previous[i], next[i]);
      if (shared !== previous[i]) same = false;
      else next[i] = shared;
    }
    return same ? (previous as T) : next;
  }
  if (isPlainObject(previous) && isPlainObject(next)) {
    const target: Record<string, unknown> = next;
    const keys = Object.keys(target);
    if (!sameKeys(Object.keys(previous), keys)) return next;
    let same = true;
    for (const k of keys) {
      const shared: unknown = shareUnchanged(previous[k], target[k]);
      if (shared !== previous[k]) same = false;
      // An own key, so this sets the own property even for a host named __proto__.
      else target[k] = shared;
    }
    return same ? (previous as T) : next;
  }
  return next;
}
