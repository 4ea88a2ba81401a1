// Drift kept up to date while facts change (pure), in two layers. RawDrift
// holds the items the checks find, re-checking only the entities a batch of
// fact changes touched. DriftWalk classifies items under the sources
// currently read (drift, or only "cannot compare") and reports what changed;
// it is fed either by RawDrift or by drift recorded in the store.
import { canonicalJson } from '../snapshot/canonical-json.js';
import type { SourceName } from '../snapshot/source-name.js';
import type { ClusterFacts } from './cluster-facts.js';
import type { ItemState } from './drift-history.js';
import { driftItemsByEntity, driftKey, driftRef, isUnknownSide, type DriftItem, type DriftScope } from './drift.js';

/** driftKey → the item as it now is, or null: no longer found. */
export type DriftChanges = Map<string, DriftItem | null>;

export class RawDrift {
  private readonly byRef = new Map<string, DriftItem[]>();

  constructor(private readonly facts: ClusterFacts) {}

  /** Takes items already known to hold for the current facts (recorded earlier) instead of checking everything. */
  seed(items: Iterable<DriftItem>): void {
    for (const item of items) {
      const ref = driftRef(item);
      const list = this.byRef.get(ref);
      if (list) list.push(item);
      else this.byRef.set(ref, [item]);
    }
  }

  /** Every item found at the facts as they now stand. */
  *items(): IterableIterator<DriftItem> {
    for (const list of this.byRef.values()) yield* list;
  }

  /** Re-checks `scope`; returns the items that appeared or changed, and (as null) those gone. */
  recheck(scope: DriftScope): DriftChanges {
    const changes: DriftChanges = new Map();
    for (const [ref, items] of driftItemsByEntity(this.facts, scope)) {
      // Canonical JSON: seeded items come back from the store with their keys sorted.
      const before = new Map((this.byRef.get(ref) ?? []).map((i) => [driftKey(i), canonicalJson(i)]));
      for (const item of items) {
        const key = driftKey(item);
        if (before.get(key) !== canonicalJson(item)) changes.set(key, item);
        before.delete(key);
      }
      for (const key of before.keys()) changes.set(key, null);
      if (items.length) this.byRef.set(ref, items);
      else this.byRef.delete(ref);
    }
    return changes;
  }
}

/** The current drift items of a walk, and their classification under the current knowledge. */
export class DriftWalk {
  private readonly states = new Map<string, ItemState>();
  known: ReadonlySet<SourceName> = new Set();

  private classify(item: DriftItem): ItemState {
    const readable = item.sources.every((s) => this.known.has(s) && !isUnknownSide(item.sides[s]));
    return { status: readable ? 'drift' : 'cannot_compare', item };
  }

  /** Applies changed items (and re-classifies everything when `reclassify`); returns what changed. */
  update(raw: ReadonlyMap<string, DriftItem | null>, reclassify: boolean): Map<string, ItemState | null> {
    const consider = new Map(raw);
    if (reclassify) for (const [key, st] of this.states) if (!consider.has(key)) consider.set(key, st.item);
    const changed = new Map<string, ItemState | null>();
    for (const [key, item] of consider) {
      const prev = this.states.get(key);
      if (!item) {
        if (prev) changed.set(key, null);
        this.states.delete(key);
        continue;
      }
      const next = this.classify(item);
      if (prev && prev.status === next.status && JSON.stringify(prev.item.sides) === JSON.stringify(item.sides)) continue;
      this.states.set(key, next);
      changed.set(key, next);
    }
    return changed;
  }
}
