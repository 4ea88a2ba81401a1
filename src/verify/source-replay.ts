// One source's state replayed from its versions (pure), as `verify` walks the
// history forward once: versions are applied in snapshot order, and each
// checkpoint met on the way must equal the state replayed so far. A range of
// versions that cannot be read makes the state unknown until the next
// checkpoint that can be, which is a whole state again.
import type { FactVersion, KindGroups } from '../store/index.js';

export interface StateMismatch {
  /** Facts the checkpoint holds that the replay does not, or with another value. */
  differing: number;
  /** Facts the replay holds that the checkpoint lacks. */
  missing: number;
  /** One differing fact key, "kind entity", as an example. */
  example: string;
}

function keyOf(kind: string, entity: string): string {
  return `${kind} ${entity}`;
}

export class SourceReplay {
  private readonly state = new Map<string, string>();
  /** false: versions were lost since the last whole state, so the state is not known. */
  known = true;

  apply(versions: readonly FactVersion[]): void {
    for (const v of versions) {
      const key = keyOf(v.kind, v.entity);
      if (v.value === null) this.state.delete(key);
      else this.state.set(key, v.value);
    }
  }

  lose(): void {
    this.known = false;
  }

  /** Compares a checkpoint with the replayed state; null when equal (or when the state is not known). */
  compare(checkpoint: KindGroups): StateMismatch | null {
    if (!this.known) return null;
    let differing = 0;
    let present = 0;
    let example = '';
    for (const [kind, list] of checkpoint) {
      for (let i = 0; i < list.length; i += 2) {
        const key = keyOf(kind, list[i]!);
        const value = this.state.get(key);
        if (value !== undefined) present++;
        if (value !== list[i + 1]) {
          differing++;
          example ||= key;
        }
      }
    }
    const missing = this.state.size - present;
    if (differing === 0 && missing === 0) return null;
    if (!example) for (const key of this.state.keys()) if (!hasKey(checkpoint, key)) { example = key; break; }
    return { differing, missing, example };
  }

  /** Starts again from a whole state (a checkpoint): the state is known again. */
  reset(checkpoint: KindGroups): void {
    this.state.clear();
    for (const [kind, list] of checkpoint) for (let i = 0; i < list.length; i += 2) this.state.set(keyOf(kind, list[i]!), list[i + 1]!);
    this.known = true;
  }
}

function hasKey(checkpoint: KindGroups, key: string): boolean {
  const space = key.indexOf(' ');
  const list = checkpoint.get(key.slice(0, space) as never) ?? [];
  const entity = key.slice(space + 1);
  for (let i = 0; i < list.length; i += 2) if (list[i] === entity) return true;
  return false;
}
