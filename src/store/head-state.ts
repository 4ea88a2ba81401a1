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
import type { VersionWrite } from '../snapshot/plan-versions.js';
import type { StoredSource } from '../snapshot/source-name.js';
import type { Db } from './db.js';
import { readSourceStateMap } from './read-source-state.js';
import { headSnapshot } from './verify-reads.js';

const LATEST = Number.MAX_SAFE_INTEGER;

interface Head {
  snapshotId: number;
  states: Map<StoredSource, Map<string, string>>;
}

const heads = new WeakMap<Db, Head>();

/** One write's view of the head: each source's facts (fact key → canonical JSON), read at most once. */
export class HeadState {
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
    return new HeadState(db, { snapshotId: latest, states: new Map() }, !outerTransaction);
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
    this.head.snapshotId = snapshotId;
    heads.set(this.db, this.head);
  }

  /** The write failed: nothing of it may be trusted. */
  static drop(db: Db): void {
    heads.delete(db);
  }
}
