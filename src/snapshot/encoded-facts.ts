// The canonical JSON of one reading's fact values, remembered per reading
// (the function is pure; the memo is keyed by object identity). The daemon's
// observations share every unchanged part with the one before
// (src/daemon/share-unchanged.ts; nothing of an observation is mutated once
// recorded), so a source that did not change hands over the very
// result object it handed over last tick, with the same facts in the same
// order: their values are not encoded again. At 5,000 hosts an unchanged
// tick encoded 5,000 HostConfigs and 10,000 placements and Stats again, ~80 ms
// of the daemon's main thread per tick. `collect` records each reading once:
// there the memo is never hit.
const memo = new WeakMap<object, readonly string[]>();

/** `encode` of each of `facts`, made from `reading` (undefined: not remembered). */
export function encodedValues<F>(reading: object | undefined, facts: readonly F[], encode: (fact: F) => string): readonly string[] {
  const known = reading && memo.get(reading);
  // The same object gives the same facts; the length is checked all the same, since it costs nothing.
  if (known && known.length === facts.length) return known;
  const values = facts.map(encode);
  if (reading) memo.set(reading, values);
  return values;
}
