// The `zk.watch` record (pure): what the daemon's watcher saw in the interval
// a snapshot closes, written with that snapshot. The store keeps one version
// per key and snapshot, so the events of one path in one interval are one
// version (in arrival order); a gap is its own key, `gap:<from>`, written when
// it opens and again when it closes; events dropped past the daemon's bound
// are counted under `dropped`. Each is closed at the next snapshot
// (watchTombstones), so a quiet interval after a quiet one writes nothing.
import type { WatchedInterval, WatchedRecordEvent, WatchEvent } from '../model/watch-event.js';
import { canonicalJson } from './canonical-json.js';
import { factKey, splitFactKey } from './fact.js';
import type { VersionWrite } from './plan-versions.js';

export const GAP_PREFIX = 'gap:';
export const DROPPED_KEY = 'dropped';
/**
 * Held, not closed: written by every tick of a daemon without a watcher
 * (`--no-watch`), so it stays one version for as long as such ticks run,
 * and the first tick that does not write it (a watching daemon, `collect`) ends it.
 */
export const UNWATCHED_KEY = 'unwatched';

function recordEvent(e: WatchEvent): WatchedRecordEvent {
  const out: WatchedRecordEvent = { kind: e.kind, stat: e.stat, arrivedAt: e.arrivedAt };
  if (e.value !== undefined) out.value = e.value;
  if (e.digest !== undefined) out.digest = e.digest;
  if (e.size !== undefined) out.size = e.size;
  if (e.added !== undefined) out.added = e.added;
  if (e.removed !== undefined) out.removed = e.removed;
  return out;
}

/** The version rows of one interval's watched events, gaps and drop count. */
export function watchWrites(interval: WatchedInterval): VersionWrite[] {
  const byPath = new Map<string, WatchedRecordEvent[]>();
  for (const e of interval.events) {
    const list = byPath.get(e.path) ?? [];
    list.push(recordEvent(e));
    byPath.set(e.path, list);
  }
  const writes: VersionWrite[] = [...byPath].map(([path, events]) => ({ kind: 'watch', entity: path, value: canonicalJson({ events }) }));
  for (const g of interval.gaps) writes.push({ kind: 'watch', entity: `${GAP_PREFIX}${g.from}`, value: canonicalJson({ from: g.from, to: g.to, reason: g.reason }) });
  if (interval.dropped > 0) writes.push({ kind: 'watch', entity: DROPPED_KEY, value: canonicalJson({ count: interval.dropped }) });
  if (interval.unwatched) writes.push({ kind: 'watch', entity: UNWATCHED_KEY, value: canonicalJson({ reason: interval.unwatched }) });
  return writes;
}

/**
 * The record holds events, not state: what one interval wrote stops holding
 * at the next snapshot, so that the record's state at any snapshot is that
 * snapshot's interval alone (prune, which carries state to the oldest kept
 * snapshot, and checkpoints then never move an event into another interval).
 * `previous`: the record's state (fact key → value); `writes`: this snapshot's.
 */
export function watchTombstones(previous: ReadonlyMap<string, string>, writes: readonly VersionWrite[]): VersionWrite[] {
  const rewritten = new Set(writes.map((w) => factKey(w.kind, w.entity)));
  const out: VersionWrite[] = [];
  for (const key of previous.keys()) {
    if (rewritten.has(key)) continue;
    const { kind, entity } = splitFactKey(key);
    out.push({ kind, entity, value: null });
  }
  return out;
}

/**
 * The versions a snapshot writes to the record: its interval's, less the held
 * `unwatched` key when it holds already, and the end of whatever the previous
 * interval wrote and this one does not.
 */
export function watchRecordVersions(previous: ReadonlyMap<string, string>, writes: readonly VersionWrite[]): VersionWrite[] {
  const changed = writes.filter((w) => w.entity !== UNWATCHED_KEY || previous.get(factKey(w.kind, w.entity)) !== w.value);
  return [...changed, ...watchTombstones(previous, writes)];
}

/** One recorded version back as the interval's events of its path (empty for a gap or the drop count). */
export function eventsOfRecord(entity: string, value: string | null): WatchEvent[] {
  if (value === null || entity.startsWith(GAP_PREFIX) || entity === DROPPED_KEY || entity === UNWATCHED_KEY) return [];
  const v = JSON.parse(value) as { events?: WatchedRecordEvent[] };
  return (v.events ?? []).map((e) => ({ path: entity, ...e }));
}
