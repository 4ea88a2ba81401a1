// Plans the version rows one collection writes for one source (pure): a new
// version where a fact's value changed or it appeared, a tombstone where it
// disappeared (unless the keep rule says its absence is unknown, not real).
import { canonicalJson } from './canonical-json.js';
import { factKey, splitFactKey, type Fact, type FactKind } from './fact.js';
import type { KeepRule } from './source-facts.js';

export interface VersionWrite {
  kind: FactKind;
  entity: string;
  /** canonical JSON, or null for "no longer holds". */
  value: string | null;
}

/** previous: fact key → canonical JSON of the value currently holding. */
export function planVersions(
  previous: ReadonlyMap<string, string>,
  facts: readonly Pick<Fact, 'kind' | 'entity' | 'value'>[],
  keep: KeepRule,
  encode: (value: Fact['value']) => string = canonicalJson,
): VersionWrite[] {
  const writes: VersionWrite[] = [];
  const seen = new Set<string>();
  for (const fact of facts) {
    const key = factKey(fact.kind, fact.entity);
    if (seen.has(key)) continue; // a source naming one entity twice: the first wins
    seen.add(key);
    const value = encode(fact.value);
    if (previous.get(key) !== value) writes.push({ kind: fact.kind, entity: fact.entity, value });
  }
  for (const [key, value] of previous) {
    if (seen.has(key)) continue;
    const { kind, entity } = splitFactKey(key);
    if (keep(kind, entity, JSON.parse(value))) continue;
    writes.push({ kind, entity, value: null });
  }
  return writes;
}
