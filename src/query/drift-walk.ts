// Drift kept up to date while facts change (pure): the current items per
// entity and their classification under the sources currently read. After a
// batch of fact changes only the touched entities are re-checked; when the
// set of sources read changes, the current items are re-classified.
import type { SourceName } from '../snapshot/source-name.js';
import type { ClusterFacts } from './cluster-facts.js';
import type { ItemState } from './drift-history.js';
import { driftItemsByEntity, driftKey, type DriftItem, type DriftScope } from './drift.js';

/** The current drift items of a walk, and their classification under the current knowledge. */
export class DriftWalk {
  private readonly raw = new Map<string, DriftItem[]>();
  private readonly states = new Map<string, ItemState>();
  known: ReadonlySet<SourceName> = new Set();

  constructor(private readonly facts: ClusterFacts) {}

  private classify(item: DriftItem): ItemState {
    return { status: item.sources.every((s) => this.known.has(s)) ? 'drift' : 'cannot_compare', item };
  }

  /** Re-checks `scope` (and re-classifies everything when `reclassify`); returns what changed. */
  update(scope: DriftScope, reclassify: boolean): Map<string, ItemState | null> {
    const consider = new Map<string, DriftItem | null>();
    for (const [ref, items] of driftItemsByEntity(this.facts, scope)) {
      for (const old of this.raw.get(ref) ?? []) consider.set(driftKey(old), null);
      for (const item of items) consider.set(driftKey(item), item);
      if (items.length) this.raw.set(ref, items);
      else this.raw.delete(ref);
    }
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
