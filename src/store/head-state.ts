// The facts holding at the latest snapshot, per stored source, kept between
// writes on one connection. writeSnapshot plans a collection against them;
// reading them from the file each time (checkpoint inflated, every version
// since, a map of every fact) cost the daemon's main thread most of its CPU
// per tick and ~35 MiB of garbage per tick at 5,000 hosts.
//
// The copy is trusted only while the file's latest snapshot is the one it
// was advanced to by this connection: any other writer (another process, a
// delta import, a salvage) moves the latest id on and the copy is read again.
// A write that fails, or one inside a caller's transaction (which may still
// roll back), drops or bypasses it.
import { factKey } from '../snapshot/fact.js';
import type { SourcePlan, VersionWrite } from '../snapshot/plan-versions.js';
import type { StoredSource } from '../snapshot/source-name.js';
import type { Db } from './db.js';
import { readSourceStateMap } from './read-source-state.js';
import { headSnapshot } from './verify-reads.js';

const LATEST = Number.MAX_SAFE_INTEGER;

interface Head {
  snapshotId: number;
  states: Map<StoredSource, Map<string, string>>;
  /**
   * Per source, the reading (an object of an observation already written) whose facts its state
   * holds exactly, none kept beyond them. The daemon hands the very object of the tick before for a
   * source that did not change (daemon/share-unchanged.ts), so planning it again would write
   * nothing: at 5,000 hosts, ~30,000 keys built and looked up per tick for no write.
   */
  exactly: Map<StoredSource, object>;
}

const heads = new WeakMap<Db, Head>();

/** One write's view of the head: each source's facts (fact key → canonical JSON), read at most once. */
export class HeadState {
  /** What this write planned: per source, the reading its state will hold exactly, or null. */
  private readonly planned = new Map<StoredSource, object | null>();

  private constructor(
    private readonly db: Db,
    private readonly head: Head,
    /** false inside a caller's transaction: read, never kept. */
    private readonly keep: boolean,
  ) {}

  /** Call inside the write transaction, before anything of this snapshot is written. */
  static open(db: Db, outerTransaction: boolean): HeadState {
    const latest = headSnapshot(db);
    const cached = heads.get(db);
    if (!outerTransaction && cached?.snapshotId === latest) return new HeadState(db, cached, true);
    heads.delete(db);
    return new HeadState(db, { snapshotId: latest, states: new Map(), exactly: new Map() }, !outerTransaction);
  }

  /**
   * The writes `planAgainst` gives for `source` against its facts at the head, or none at once when those
   * are exactly the facts of `reading` (the object `source` was last planned from, with no fact kept
   * beyond them): planning it again would write nothing. Once written, the head holds exactly
   * `reading`'s facts unless the plan kept others it did not see, whose keep rule may change.
   */
  plan(source: StoredSource, reading: object | undefined, planAgainst: (previous: ReadonlyMap<string, string>) => SourcePlan): VersionWrite[] {
    if (reading && this.head.exactly.get(source) === reading) return [];
    const result = planAgainst(this.of(source));
    this.planned.set(source, reading && result.kept === 0 ? reading : null);
    return result.writes;
  }

  /** The facts of `source` at the head. Read-only for the caller. */
  of(source: StoredSource): ReadonlyMap<string, string> {
    let state = this.head.states.get(source);
    if (!state) this.head.states.set(source, (state = readSourceStateMap(this.db, source, LATEST)));
    return state;
  }

  /** After the rows of `snapshotId` are inserted: the head advances by them and is kept for the next write. */
  advance(snapshotId: number, writes: Iterable<{ source: StoredSource } & VersionWrite>): void {
    if (!this.keep) return;
    for (const w of writes) {
      const state = this.head.states.get(w.source);
      // A source not read in this write (never planned against) is read afresh next time.
      if (!state) continue;
      const key = factKey(w.kind, w.entity);
      if (w.value === null) state.delete(key);
      else state.set(key, w.value);
    }
    for (const [source, reading] of this.planned) {
      if (reading) this.head.exactly.set(source, reading);
      else this.head.exactly.delete(source);
    }
    this.head.snapshotId = snapshotId;
    heads.set(this.db, this.head);
  }

  /** The write failed: nothing of it may be trusted. */
  static drop(db: Db): void {
    heads.delete(db);
  }
}
