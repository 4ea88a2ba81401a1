// Replaying a source's versions onto its last checkpoint (pure): where new
// checkpoints fall due (checkpoint-format.ts has the rule) and the state each
// holds. Both stores' upkeep feeds it pages of versions read their own way
// (state-checkpoints.ts, postgres/pg-checkpoints.ts) and writes what it returns.
import { factKey } from '../snapshot/fact.js';
import { checkpointDue, type CheckpointHead, type KindGroups, type StoredFact } from './checkpoint-format.js';
import { SourceState, type FactVersion } from './source-state.js';

export interface DueCheckpoint {
  snapshot: number;
  facts: StoredFact[];
}

export class CheckpointReplay {
  private readonly state = new Map<string, StoredFact>();
  private since = 0;

  /** `start`: the last checkpoint's state (none: empty); `last`: that checkpoint's snapshot and the size it recorded (none: 0 and 0). */
  constructor(
    start: KindGroups | undefined,
    private last: CheckpointHead,
  ) {
    for (const f of new SourceState(start).all()) this.state.set(factKey(f.kind, f.entity), f);
  }

  /** Applies one page of versions (whole snapshots, in snapshot order); returns the checkpoints due in it. */
  apply(page: readonly (FactVersion & { snapshot: number })[]): DueCheckpoint[] {
    const due: DueCheckpoint[] = [];
    for (let i = 0; i < page.length; i++) {
      const v = page[i]!;
      const key = factKey(v.kind, v.entity);
      if (v.value === null) this.state.delete(key);
      else this.state.set(key, { kind: v.kind, entity: v.entity, value: v.value });
      this.since++;
      const endOfSnapshot = page[i + 1]?.snapshot !== v.snapshot;
      if (endOfSnapshot && checkpointDue(this.since, v.snapshot - this.last.snapshotId, this.last.facts)) {
        due.push({ snapshot: v.snapshot, facts: [...this.state.values()] });
        this.since = 0;
        this.last = { snapshotId: v.snapshot, facts: this.state.size };
      }
    }
    return due;
  }
}
