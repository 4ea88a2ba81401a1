// One source's check (I/O through the store's reads): its versions replayed
// forward once, window by window, each checkpoint met on the way compared
// with the replay. Versions lost to a damaged page make the state unknown
// until the next readable checkpoint; that range is one finding.
import type { StoredSource } from '../snapshot/source-name.js';
import { checkpointIds, storedCheckpoint, decodeState, isCorruption, sourceVersions, type Db, type SourceVersion } from '../store/index.js';
import { addDamage, type Damage } from './damage.js';
import { readRange } from './read-range.js';
import { SourceReplay } from './source-replay.js';
import { bySnapshot, WINDOW } from './windows.js';

/** What the snapshot pass learns for the later ones. */
export interface SnapshotIndex {
  ids: Set<number>;
  /** id → started_at, to name damaged ranges by time too. */
  times: Map<number, number>;
  first: number | null;
  /** "<id> <source>" of each failed read. */
  failed: Set<string>;
  /** Snapshots whose row or outcomes could not be read (already reported). */
  unreadable: Set<number>;
}

export class SourceCheck {
  private readonly replay = new SourceReplay();
  private readonly checkpoints: number[];
  private readonly isCheckpoint: Set<number>;
  /** The first snapshot of the current unknown stretch, and the snapshots whose versions were lost in it. */
  private lostFrom = 0;
  private lostAt: number[] = [];

  constructor(
    private readonly db: Db,
    private readonly source: StoredSource,
    private readonly head: number,
    private readonly index: SnapshotIndex,
    private readonly damage: Damage[],
  ) {
    this.checkpoints = this.readCheckpointIds();
    this.isCheckpoint = new Set(this.checkpoints);
  }

  run(step: () => void): void {
    for (let a = 0; a < this.head; a += WINDOW) {
      this.window(a, Math.min(this.head, a + WINDOW));
      step();
    }
    if (!this.replay.known) this.closeLost(this.head, 'to the end of the history (no readable checkpoint after the damage)');
  }

  private add(d: Omit<Damage, 'source'>): void {
    addDamage(this.damage, { ...d, source: this.source });
  }

  private readCheckpointIds(): number[] {
    try {
      return checkpointIds(this.db, this.source);
    } catch (e) {
      if (!isCorruption(e)) throw e;
      this.add({ kind: 'checkpoint', from: 1, to: this.head, detail: `checkpoints unreadable: ${(e as Error).message}` });
      return [];
    }
  }

  private window(a: number, b: number): void {
    const read = readRange<SourceVersion>(a, b, (x, y) => sourceVersions(this.db, this.source, x, y));
    const rows = bySnapshot(read.rows);
    const lost = new Set(read.lost);
    const inWindow = this.checkpoints.filter((c) => c > a && c <= b);
    const events = [...new Set([...rows.keys(), ...lost, ...inWindow])].sort((x, y) => x - y);
    for (const id of events) {
      if (lost.has(id)) this.lose(id);
      const versions = rows.get(id) ?? [];
      if (versions.length) this.checkPlace(id);
      this.replay.apply(versions);
      if (this.isCheckpoint.has(id)) this.checkCheckpoint(id);
    }
  }

  private lose(id: number): void {
    if (this.replay.known) this.lostFrom = id;
    this.lostAt.push(id);
    this.replay.lose();
  }

  /** Versions belong to a snapshot that exists, in which the source was read. */
  private checkPlace(id: number): void {
    if (this.index.unreadable.has(id)) return;
    if (!this.index.ids.has(id)) this.add({ kind: 'versions', from: id, to: id, detail: 'versions at a snapshot that does not exist' });
    else if (this.index.failed.has(`${id} ${this.source}`)) this.add({ kind: 'versions', from: id, to: id, detail: 'versions in a snapshot where the source was not read' });
  }

  private closeLost(to: number, how: string): void {
    const at = this.lostAt;
    this.lostAt = [];
    if (to < this.lostFrom) {
      // Lost at the checkpoint's own snapshot: the checkpoint holds that state, later ones read only later versions.
      this.add({ kind: 'versions', from: this.lostFrom, to: this.lostFrom, detail: `versions unreadable at #${this.lostFrom}; the checkpoint there still holds the state` });
      return;
    }
    const where = at.length === 1 ? `#${at[0]}` : `${at.length} snapshots from #${at[0]}`;
    this.add({ kind: 'versions', from: this.lostFrom, to, detail: `versions unreadable at ${where}; the state cannot be reconstructed ${how}` });
  }

  private checkCheckpoint(c: number): void {
    const to = (this.checkpoints.find((x) => x > c) ?? this.head + 1) - 1;
    let text: ReturnType<typeof storedCheckpoint>;
    try {
      text = storedCheckpoint(this.db, this.source, c);
    } catch (e) {
      if (!isCorruption(e)) throw e;
      this.add({ kind: 'checkpoint', from: c, to, detail: `checkpoint at #${c} unreadable (${(e as Error).message}); the versions still reconstruct it` });
      return;
    }
    const state = text === undefined ? null : decodeState(text);
    if (!state) {
      this.add({ kind: 'checkpoint', from: c, to, detail: `checkpoint at #${c} is not a valid state; the versions still reconstruct it` });
      return;
    }
    if (!this.replay.known) {
      this.closeLost(c - 1, `until the checkpoint at #${c}`);
      this.replay.reset(state);
      return;
    }
    const m = this.replay.compare(state);
    if (!m) return;
    this.add({
      kind: 'checkpoint', from: c, to,
      detail: `checkpoint at #${c} differs from the state replayed from the versions before it (${m.differing} fact(s) differ, ${m.missing} missing; e.g. ${m.example})`,
    });
  }
}
