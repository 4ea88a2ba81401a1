// A source's facts after some of its versions (pure): the state at a
// checkpoint with the versions written after it, applied in snapshot order.
import type { FactKind } from '../snapshot/fact.js';
import type { StoredFact } from './checkpoint-format.js';

export interface FactVersion {
  kind: FactKind;
  entity: string;
  /** canonical JSON; null: the fact stopped holding (a tombstone) */
  value: string | null;
}

/**
 * One pass over `base` plus one over `versions`: the base facts are not put in
 * a map, since a read applies few versions to a large state. Facts keep their
 * base order; facts new since the base follow, in the order they appeared.
 */
export function applyVersions(base: readonly StoredFact[], versions: readonly FactVersion[]): StoredFact[] {
  if (versions.length === 0) return [...base];
  // kind → entity → the last version's value (later versions win)
  const last = new Map<FactKind, Map<string, string | null>>();
  for (const v of versions) {
    let byEntity = last.get(v.kind);
    if (!byEntity) last.set(v.kind, (byEntity = new Map()));
    byEntity.delete(v.entity); // re-inserted: new facts come out in the order they last appeared
    byEntity.set(v.entity, v.value);
  }
  const out: StoredFact[] = [];
  for (const f of base) {
    const byEntity = last.get(f.kind);
    if (!byEntity?.has(f.entity)) {
      out.push(f);
      continue;
    }
    const value = byEntity.get(f.entity)!;
    byEntity.delete(f.entity);
    if (value !== null) out.push({ kind: f.kind, entity: f.entity, value });
  }
  for (const [kind, byEntity] of last) {
    for (const [entity, value] of byEntity) if (value !== null) out.push({ kind, entity, value });
  }
  return out;
}
