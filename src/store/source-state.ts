// One source's facts at one snapshot (pure): the facts of its checkpoint with
// the net change since (each changed key's last value, null once it stopped
// holding) laid over them. Kinds are resolved when asked for, so a reader
// that uses only placements never walks the HostConfigs, and a changed value
// is turned into what readers see (a summary, an agent's joined role) only
// when one asks for it: `show` needs the registered hosts' names, not their
// addresses, and the roles of the 50 leaves' owners it prints, not of every agent.
import type { FactKind } from '../snapshot/fact.js';
import type { KindGroups, StoredFact } from './checkpoint-format.js';

export interface FactVersion {
  kind: FactKind;
  entity: string;
  /** canonical JSON; null: the fact stopped holding (a tombstone) */
  value: string | null;
}

/** A changed value as read from the file → the text readers see (called at most once per value). */
export type ReadValue = (kind: FactKind, entity: string, stored: string) => string;

interface Changed {
  stored: string | null;
  /** `stored` as readers see it, once asked for */
  text?: string;
}

const NO_GROUPS: KindGroups = new Map();

export class SourceState {
  /** kind → entity → the last version's value */
  private readonly changes = new Map<FactKind, Map<string, Changed>>();
  /** kind → entity → the index of its value in the base's list, built for `get` */
  private readonly baseIndex = new Map<FactKind, Map<string, number>>();

  constructor(
    private readonly base: KindGroups = NO_GROUPS,
    versions: readonly FactVersion[] = [],
    private readonly read: ReadValue | null = null,
  ) {
    for (const v of versions) {
      let byEntity = this.changes.get(v.kind);
      if (!byEntity) this.changes.set(v.kind, (byEntity = new Map()));
      byEntity.delete(v.entity); // re-inserted: new facts come out in the order they last appeared
      byEntity.set(v.entity, { stored: v.value });
    }
  }

  /** The kinds that may have facts. */
  kinds(): FactKind[] {
    return [...new Set([...this.base.keys(), ...this.changes.keys()])];
  }

  private text(kind: FactKind, entity: string, c: Changed): string | null {
    if (c.stored === null) return null;
    return (c.text ??= this.read ? this.read(kind, entity, c.stored) : c.stored);
  }

  /** Calls `fn` with each fact of `kind` holding here: the base's not changed since, then the changed ones. */
  each(kind: FactKind, fn: (entity: string, value: string) => void): void {
    const changed = this.changes.get(kind);
    const list = this.base.get(kind) ?? [];
    for (let i = 0; i < list.length; i += 2) {
      if (!changed?.has(list[i]!)) fn(list[i]!, list[i + 1]!);
    }
    for (const [entity, c] of changed ?? []) {
      const value = this.text(kind, entity, c);
      if (value !== null) fn(entity, value);
    }
  }

  /** The entities with a fact of `kind` here, in `each`'s order, without reading a value. */
  entities(kind: FactKind): string[] {
    const changed = this.changes.get(kind);
    const list = this.base.get(kind) ?? [];
    const out: string[] = [];
    for (let i = 0; i < list.length; i += 2) if (!changed?.has(list[i]!)) out.push(list[i]!);
    for (const [entity, c] of changed ?? []) if (c.stored !== null) out.push(entity);
    return out;
  }

  /** The value of one fact (undefined: none holds here), reading only that one. */
  get(kind: FactKind, entity: string): string | undefined {
    const c = this.changes.get(kind)?.get(entity);
    if (c) return this.text(kind, entity, c) ?? undefined;
    const list = this.base.get(kind);
    if (!list) return undefined;
    let index = this.baseIndex.get(kind);
    if (!index) {
      this.baseIndex.set(kind, (index = new Map()));
      for (let i = 0; i < list.length; i += 2) index.set(list[i]!, i + 1);
    }
    const at = index.get(entity);
    return at === undefined ? undefined : list[at];
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
