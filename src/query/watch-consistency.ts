// Whether what the watcher saw agrees with the snapshots around it (pure).
// Replaying an interval's watched events onto the earlier snapshot's state
// must give the later snapshot's state at every watched path: the children
// of each watched parent, and no data node newer in the watch than in the
// snapshot that closes the interval (its reads come after every event it
// closes). Replay is by sets, so an event the earlier snapshot had already
// seen (it arrived while that collection was reading) changes nothing.
import type { WatchEvent } from '../model/watch-event.js';
import type { ZkStat } from '../model/zk-stat.js';
import { compareZxid } from './watched-events.js';

/** The watched paths' state as one snapshot recorded it. */
export interface WatchedState {
  /** Child names by watched parent (only parents whose source was read). */
  children: ReadonlyMap<string, ReadonlySet<string>>;
  /** Each data node's Stat as read. */
  stats: ReadonlyMap<string, ZkStat>;
}

function orderKey(e: WatchEvent): string | null {
  if (!e.stat) return null;
  return e.kind === 'children' ? e.stat.pzxid : e.stat.mzxid;
}

/** Events in ZooKeeper's order (zxid; a deletion, which has no Stat, keeps its arrival place). */
export function inZxidOrder(events: readonly WatchEvent[]): WatchEvent[] {
  return [...events].sort((a, b) => {
    const x = orderKey(a);
    const y = orderKey(b);
    return x && y ? compareZxid(x, y) : a.arrivedAt - b.arrivedAt;
  });
}

/** Each contradiction as one line; none when the watch and the snapshots agree. */
export function watchContradictions(before: WatchedState, events: readonly WatchEvent[], after: WatchedState): string[] {
  const out: string[] = [];
  const children = new Map([...before.children].map(([p, s]) => [p, new Set(s)]));
  for (const e of inZxidOrder(events)) {
    if (e.kind !== 'children') continue;
    const set = children.get(e.path);
    if (!set) continue;
    for (const n of e.added ?? []) set.add(n);
    for (const n of e.removed ?? []) set.delete(n);
  }
  for (const [parent, want] of after.children) {
    const got = children.get(parent);
    if (!got) continue;
    const extra = [...got].filter((n) => !want.has(n)).sort();
    const lacking = [...want].filter((n) => !got.has(n)).sort();
    if (extra.length || lacking.length) out.push(`${parent}: replay gives ${fmt(extra, '+')}${fmt(lacking, '-')}against the later snapshot`);
  }
  for (const e of events) {
    if (e.kind !== 'data' || !e.stat) continue;
    const read = after.stats.get(e.path);
    if (read && compareZxid(e.stat.mzxid, read.mzxid) > 0) out.push(`${e.path}: watched mzxid ${e.stat.mzxid} is newer than the later snapshot's ${read.mzxid}`);
  }
  return out;
}

function fmt(names: string[], sign: string): string {
  return names.length ? `${names.map((n) => `${sign}${n}`).join(' ')} ` : '';
}
