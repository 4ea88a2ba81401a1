// One source's facts at one snapshot (pure): the facts of its checkpoint with
// the net change since (each changed key's last value, null once it stopped
// holding) laid over them. Kinds are resolved when asked for, so a reader
// that uses only placements never walks the HostConfigs.
import type { FactKind } from '../snapshot/fact.js';
import type { KindGroups, StoredFact } from './checkpoint-format.js';

export interface FactVersion {
  kind: FactKind;
  entity: string;
  /** canonical JSON; null: the fact stopped holding (a tombstone) */
  value: string | null;
}

const NO_GROUPS: KindGroups = new Map();

export class SourceState {
  /** kind → entity → the last version's value */
  private readonly changes = new Map<FactKind, Map<string, string | null>>();

  constructor(
    private readonly base: KindGroups = NO_GROUPS,
    versions: readonly FactVersion[] = [],
  ) {
    for (const v of versions) {
      let byEntity = this.changes.get(v.kind);
      if (!byEntity) this.changes.set(v.kind, (byEntity = new Map()));
      byEntity.delete(v.entity); // re-inserted: new facts come out in the order they last appeared
      byEntity.set(v.entity, v.value);
    }
  }

  /** The kinds that may have facts. */
  kinds(): FactKind[] {
    return [...new Set([...this.base.keys(), ...this.changes.keys()])];
  }

  /** Calls `fn` with each fact of `kind` holding here: the base's not changed since, then the changed ones. */
  each(kind: FactKind, fn: (entity: string, value: string) => void): void {
    const changed = this.changes.get(kind);
    const list = this.base.get(kind) ?? [];
    for (let i = 0; i < list.length; i += 2) {
      if (!changed?.has(list[i]!)) fn(list[i]!, list[i + 1]!);
    }
    for (const [entity, value] of changed ?? []) if (value !== null) fn(entity, value);
  }

  /** entity → canonical JSON of the facts of one kind. */
  ofKind(kind: FactKind): Map<string, string> {
    const out = new Map<string, string>();
    this.each(kind, (entity, value) => out.set(entity, value));
    return out;
  }

  all(): StoredFact[] {
    const out: StoredFact[] = [];
    for (const kind of this.kinds()) this.each(kind, (entity, value) => out.push({ kind, entity, value }));
    return out;
  }
}
