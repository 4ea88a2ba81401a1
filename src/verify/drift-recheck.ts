// The drift recomputed from the states (pure), the way the recorder computes
// it (src/record/record-drift.ts): the first snapshot checked whole, each later
// one by re-checking the entities its versions touched; compared, key by key,
// with the drift recorded in the store.
import { canonicalJson } from '../snapshot/canonical-json.js';
import { applyFactChange, emptyClusterFacts, emptyTouched, type ClusterFacts } from '../query/cluster-facts.js';
import { RawDrift } from '../query/drift-walk.js';
import { fullScope } from '../query/drift.js';
import { parseRecorded } from '../query/recorded-drift.js';
import type { FactVersion, VersionRow } from '../store/index.js';

/** The recorded item as {ids, sides}, its ids from its key when not stored (record-drift.ts). */
function recorded(key: string, value: string | null): string | null {
  if (value === null) return null;
  try {
    const item = parseRecorded(key, value);
    return canonicalJson({ ids: item.ids, sides: item.sides });
  } catch {
    return `unreadable: ${value.slice(0, 40)}`;
  }
}

export class DriftRecheck {
  private readonly facts: ClusterFacts = emptyClusterFacts();
  private readonly raw = new RawDrift(this.facts);
  private readonly recomputed = new Map<string, string>();
  private readonly stored = new Map<string, string>();

  /**
   * One snapshot: its versions of the observed sources and of the recorded
   * drift. Returns the drift keys whose recorded item differs from the
   * recomputed one after it (the recorded side then takes the recomputed value,
   * so one damaged version is reported once).
   */
  snapshot(factRows: readonly VersionRow[], driftRows: readonly FactVersion[], first: boolean): string[] {
    const touched = emptyTouched();
    for (const v of factRows) applyFactChange(this.facts, { ...v, value: v.value === null ? null : JSON.parse(v.value) }, touched);
    // As the recorder: the first snapshot checked whole, a later one only when it has versions.
    const changes = first ? this.raw.recheck(fullScope(this.facts)) : factRows.length ? this.raw.recheck(touched) : new Map();
    const keys = new Set<string>();
    for (const [key, item] of changes) {
      keys.add(key);
      if (item) this.recomputed.set(key, canonicalJson({ ids: item.ids, sides: item.sides }));
      else this.recomputed.delete(key);
    }
    for (const v of driftRows) {
      keys.add(v.entity);
      const value = recorded(v.entity, v.value);
      if (value === null) this.stored.delete(v.entity);
      else this.stored.set(v.entity, value);
    }
    const differ: string[] = [];
    for (const key of keys) {
      const want = this.recomputed.get(key);
      if (this.stored.get(key) === want) continue;
      differ.push(key);
      if (want === undefined) this.stored.delete(key);
      else this.stored.set(key, want);
    }
    return differ;
  }
}
