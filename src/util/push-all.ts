// Appending a long list to another. `into.push(...items)` passes each item as
// an argument on the stack, and past ~100,000 of them V8 throws "Maximum call
// stack size exceeded": `timeline` over 11 months of the bench's history
// (~172,000 events) failed so.
// Lists whose length follows the history or the cluster are appended here.

/** Appends `items` to `into` one by one; returns `into`. */
export function pushAll<T>(into: T[], items: Iterable<T>): T[] {
  for (const item of items) into.push(item);
  return into;
}
