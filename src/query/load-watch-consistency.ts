// The check that watched events never contradict the snapshots around them
// (I/O glue for watch-consistency.ts): for each snapshot in a range that
// closes an interval with watched events and no gap, the watched paths'
// state at the snapshot before and at it, from the `zk.stat` record (a
// node's Stat is kept exactly while its source lists it), and the events.
import type { WatchEvent } from '../model/watch-event.js';
import type { ZkStat } from '../model/zk-stat.js';
import { DROPPED_KEY, eventsOfRecord, GAP_PREFIX, UNWATCHED_KEY } from '../snapshot/zk-watch-facts.js';
import { type HistoryReader } from '../store/index.js';
import { watchContradictions, type WatchedState } from './watch-consistency.js';

const PARENTS = ['/services/chairman', '/services/root-scheduler', '/missing', '/roles', '/hosts'];

function stateAt(db: HistoryReader, snapshot: number): WatchedState {
  const children = new Map<string, Set<string>>(PARENTS.map((p) => [p, new Set<string>()]));
  const stats = new Map<string, ZkStat>();
  for (const f of db.readSourceState('zk.stat', snapshot)) {
    const at = f.entity.lastIndexOf('/');
    children.get(f.entity.slice(0, at))?.add(f.entity.slice(at + 1));
    stats.set(f.entity, JSON.parse(f.value) as ZkStat);
  }
  return { children, stats };
}

/** A snapshot whose ZooKeeper sources were all read: only then is its state of the watched paths known. */
function zkComplete(db: HistoryReader, snapshot: number): boolean {
  return db.sourceOutcomes(snapshot).every((o) => !o.source.startsWith('zk.') || o.ok);
}

export interface WatchCheck {
  /** The closing snapshots whose intervals were checked. */
  checked: number[];
  /** Contradictions by closing snapshot id; empty when the watch and the snapshots agree everywhere checked. */
  contradictions: Map<number, string[]>;
}

export function loadWatchContradictions(db: HistoryReader, afterId: number, toId: number): WatchCheck {
  const events = new Map<number, WatchEvent[]>();
  const gapped = new Set<number>();
  for (const r of db.versionsWithBeforeInRange(afterId, toId, ['zk.watch'])) {
    if (r.value === null) continue; // the end of the previous interval's record
    if (r.entity.startsWith(GAP_PREFIX) || r.entity === DROPPED_KEY || r.entity === UNWATCHED_KEY) gapped.add(r.snapshot);
    else events.set(r.snapshot, [...(events.get(r.snapshot) ?? []), ...eventsOfRecord(r.entity, r.value)]);
  }
  const m = db.marks();
  const out = new Map<number, string[]>();
  const checked: number[] = [];
  for (const [snapshot, list] of events) {
    const before = m.before(snapshot);
    if (!before || gapped.has(snapshot) || !zkComplete(db, before.id) || !zkComplete(db, snapshot)) continue;
    checked.push(snapshot);
    const found = watchContradictions(stateAt(db, before.id), list, stateAt(db, snapshot));
    if (found.length) out.set(snapshot, found);
  }
  return { checked, contradictions: out };
}
