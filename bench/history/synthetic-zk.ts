// ZooKeeper's own records for the bench's synthetic cluster: a zxid counter
// and each node's Stat, kept as an ensemble keeps them (a create sets ctime
// and czxid, a write bumps version and mzxid, a child created or deleted bumps
// the parent's cversion and pzxid), and what a daemon's watcher would have
// seen between two collections (src/sources/zookeeper/zk-watcher.ts): child
// events on the watched parents, data events on /roles/<owner> and the
// members, deleted events. flushStats() and flushWatch() turn them into the
// `zk.stat` and `zk.watch` versions a collector records (src/snapshot/zk-stat-facts.ts,
// zk-watch-facts.ts). Its clock has its own random numbers, so adding these
// records leaves the generated facts exactly as they were.
import type { WatchedRecordEvent, WatchEventKind } from '../../src/model/watch-event.js';
import type { ZkStat } from '../../src/model/zk-stat.js';
import { canonicalJson } from '../../src/snapshot/canonical-json.js';
import type { VersionWrite } from '../../src/snapshot/plan-versions.js';
import type { SourceName } from '../../src/snapshot/source-name.js';
import { GAP_PREFIX } from '../../src/snapshot/zk-watch-facts.js';
import { statJson, statSourceOf } from '../../src/snapshot/zk-stat-facts.js';
import { Prng } from './prng.js';

/** Parents whose children the watcher lists (a child event each time one is created or deleted). */
const CHILD_WATCHED = new Set(['/services/chairman', '/services/root-scheduler', '/roles', '/hosts', '/missing']);
/** The watcher keeps a value up to this size; a larger one (a /roles leaf) as its digest and size. */
const KEPT_VALUE_BYTES = 512;

function dataWatched(path: string): boolean {
  return path.startsWith('/roles/') || path.startsWith('/services/chairman/') || path.startsWith('/services/root-scheduler/');
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}

export class SyntheticZk {
  private zxid = 0x100000000; // epoch 1
  private clock = 0;
  private intervalEnd = 0;
  private watching = true;
  private readonly prng: Prng;
  private readonly stats = new Map<string, ZkStat>();
  /** Paths whose Stat changed (or that were deleted) since their source was last flushed. */
  private readonly changed = new Set<string>();
  private readonly events = new Map<string, WatchedRecordEvent[]>();
  private openGap: number | null = null;
  private gapsToWrite: { from: number; to: number | null }[] = [];
  private lastWatchKeys: string[] = [];

  constructor(seed: number) {
    this.prng = new Prng(seed ^ 0x2b5f3a1);
  }

  /** The changes that follow happen in [from, to) (the interval before the next collection). */
  beginInterval(from: number, to: number): void {
    this.clock = Math.max(this.clock, from);
    this.intervalEnd = to;
  }

  /** ZooKeeper unreachable from the daemon too: a gap opens at the interval's start and closes when it is back. */
  setWatching(on: boolean, at: number): void {
    if (on === this.watching) return;
    this.watching = on;
    if (!on) {
      this.openGap = at;
      this.gapsToWrite.push({ from: at, to: null });
    } else if (this.openGap !== null) {
      this.gapsToWrite.push({ from: this.openGap, to: at });
      this.openGap = null;
    }
  }

  has(path: string): boolean {
    return this.stats.has(path);
  }

  /** What the watcher saw so far is dropped: the cluster as it stood before the daemon started. */
  discardWatched(): void {
    this.events.clear();
  }

  /** A node created (an ephemeral one owned by a new session); an existing one is written instead. */
  create(path: string, ephemeral = false, size = 0): void {
    if (this.stats.has(path)) return this.setData(path, size);
    const t = this.tick();
    const z = this.nextZxid();
    const ephemeralOwner = ephemeral ? (0x100000000000000 + this.prng.int(2 ** 40)).toString(16) : '0';
    this.stats.set(path, { ctime: t, mtime: t, czxid: z, mzxid: z, pzxid: z, version: 0, cversion: 0, ephemeralOwner });
    this.changed.add(path);
    this.childChanged(parentOf(path), path, 'added', z, t);
  }

  setData(path: string, size = 0): void {
    const s = this.stats.get(path);
    if (!s) return this.create(path, false, size);
    const t = this.tick();
    const z = this.nextZxid();
    const next = { ...s, mtime: t, mzxid: z, version: s.version + 1 };
    this.stats.set(path, next);
    this.changed.add(path);
    if (dataWatched(path)) this.watched(path, 'data', next, t, size);
  }

  delete(path: string): void {
    if (!this.stats.delete(path)) return;
    const t = this.tick();
    const z = this.nextZxid();
    this.changed.add(path);
    if (dataWatched(path)) this.watched(path, 'deleted', null, t);
    this.childChanged(parentOf(path), path, 'removed', z, t);
  }

  /** `zk.stat` versions of the nodes that changed, for those whose source was read in this collection. */
  flushStats(ok: ReadonlySet<SourceName>): VersionWrite[] {
    const out: VersionWrite[] = [];
    for (const path of this.changed) {
      const source = statSourceOf(path);
      if (source === null || !ok.has(source)) continue;
      this.changed.delete(path);
      const s = this.stats.get(path);
      out.push({ kind: 'stat', entity: path, value: s ? statJson(s) : null });
    }
    return out;
  }

  /** The `zk.watch` versions this collection closes: the interval's events and gaps, and the end of the last interval's. */
  flushWatch(): VersionWrite[] {
    const out: VersionWrite[] = [...this.events].map(([path, events]) => ({ kind: 'watch', entity: path, value: canonicalJson({ events }) }));
    for (const g of this.gapsToWrite) out.push({ kind: 'watch', entity: `${GAP_PREFIX}${g.from}`, value: canonicalJson({ from: g.from, to: g.to, reason: 'disconnected' }) });
    const now = new Set(out.map((w) => w.entity));
    for (const entity of this.lastWatchKeys) if (!now.has(entity)) out.push({ kind: 'watch', entity, value: null });
    this.lastWatchKeys = [...now];
    this.events.clear();
    this.gapsToWrite = [];
    return out;
  }

  private tick(): number {
    this.clock = Math.min(this.intervalEnd - 1, this.clock + 1 + this.prng.int(20_000));
    return this.clock;
  }

  private nextZxid(): string {
    return (++this.zxid).toString(16);
  }

  private childChanged(parent: string, child: string, how: 'added' | 'removed', z: string, t: number): void {
    const p = this.stats.get(parent);
    if (!p) return;
    const next = { ...p, cversion: p.cversion + 1, pzxid: z };
    this.stats.set(parent, next);
    this.changed.add(parent);
    if (!CHILD_WATCHED.has(parent) || !this.watching) return;
    const name = child.slice(parent.length + 1);
    this.record(parent, { kind: 'children', stat: next, arrivedAt: this.arrival(t), [how]: [name] });
  }

  private watched(path: string, kind: WatchEventKind, stat: ZkStat | null, t: number, size = 0): void {
    if (!this.watching) return;
    const e: WatchedRecordEvent = { kind, stat, arrivedAt: this.arrival(t) };
    if (kind === 'data' && size > KEPT_VALUE_BYTES) {
      e.digest = this.hex(8) + this.hex(8);
      e.size = size;
    } else if (kind === 'data') {
      e.value = Buffer.from(Array.from({ length: size }, () => this.prng.int(256))).toString('base64');
    }
    this.record(path, e);
  }

  private hex(digits: number): string {
    return this.prng.int(16 ** digits).toString(16).padStart(digits, '0');
  }

  /** When the watcher's re-read answered: a few ms after ZooKeeper's own time. */
  private arrival(t: number): number {
    return t + 2 + this.prng.int(40);
  }

  private record(path: string, e: WatchedRecordEvent): void {
    const list = this.events.get(path) ?? [];
    list.push(e);
    this.events.set(path, list);
  }
}
