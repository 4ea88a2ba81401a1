// Each current drift item's history over the last settle window (pure), from
// the drift steps the history walk yields (drift-history.ts): at every
// snapshot it was seen (drift), unknown (cannot compare, or gone while one of
// its sources was not read) or absent (gone, every compared source read).
// Steps come only where something changed, so a state holds until the next.
import type { SnapshotMark } from '../model/snapshot-mark.js';
import type { SourceName } from '../snapshot/source-name.js';
import type { DriftStep, ItemState } from './drift-history.js';
import { classifySettle, type Observation } from './settling.js';

export interface TrackedItem {
  key: string;
  sources: readonly SourceName[];
}

function observe(state: ItemState['status'] | undefined, sources: readonly SourceName[], known: ReadonlySet<SourceName>): Observation['state'] {
  if (state === 'drift') return 'seen';
  if (state === 'cannot_compare') return 'unknown';
  return sources.every((s) => known.has(s)) ? 'absent' : 'unknown';
}

/** `snapshots` in order, the first no earlier than the first step; the histories in the same order. */
export function itemHistories(steps: Iterable<DriftStep>, snapshots: readonly SnapshotMark[], items: readonly TrackedItem[]): Map<string, Observation[]> {
  const states = new Map<string, ItemState['status']>();
  let known: ReadonlySet<SourceName> = new Set();
  const out = new Map(items.map((i) => [i.key, [] as Observation[]]));
  const it = steps[Symbol.iterator]();
  try {
    let next = it.next();
    for (const snap of snapshots) {
      for (; !next.done && next.value.point.snapshot.id <= snap.id; next = it.next()) {
        known = next.value.known;
        for (const [key, st] of next.value.changed) {
          if (st) states.set(key, st.status);
          else states.delete(key);
        }
      }
      for (const item of items) out.get(item.key)!.push({ at: snap.startedAt, state: observe(states.get(item.key), item.sources, known) });
    }
  } finally {
    it.return?.();
  }
  return out;
}

/** Settled or settling, and since when; `since` null: the item was there from the history's first snapshot on. */
export type ItemSettle = { state: 'settled'; since: number | null } | { state: 'settling'; since: number };

/**
 * An item never seen absent in its history started before it, so its age
 * cannot be proven young: it counts as settled (the history reaches one
 * snapshot past the window, so it was there at least that long, unknown
 * stretches aside). Otherwise classifySettle: age = newest seen − run start.
 */
export function settleItem(history: readonly Observation[], windowMs: number): ItemSettle {
  if (!history.some((o) => o.state === 'absent')) return { state: 'settled', since: null };
  const v = classifySettle(history, windowMs);
  // 'absent' cannot happen for an item seen at the asked snapshot; never hide drift if it does.
  return v.state === 'absent' ? { state: 'settled', since: null } : v;
}
