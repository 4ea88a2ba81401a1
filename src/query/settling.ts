// Settling (pure): a disagreement younger than the settle window is still
// converging, not drift. The chairman rescans and pushes roles every 30 s, so
// a move can take up to one rescan plus the push and the next collection to
// show in every source; the default window of 60 s is two rescans, which
// covers that with margin while still paging within a minute of real drift.
import { UsageError } from '../errors.js';

export const DEFAULT_SETTLE_MS = 60_000;

export interface SettleConfig {
  defaultMs: number;
  /** Per drift kind. */
  perKind: Readonly<Record<string, number>>;
}

export function settleMsFor(kind: string, config: SettleConfig): number {
  return config.perKind[kind] ?? config.defaultMs;
}

/** One snapshot in an item's history: seen (drift), absent (agreed), or unknown (a compared source unknown). */
export interface Observation {
  at: number;
  state: 'seen' | 'absent' | 'unknown';
}

export type SettleVerdict = { state: 'settled'; since: number } | { state: 'settling'; since: number } | { state: 'absent' };

/**
 * The item as of its newest observation. Its run is the `seen` snapshots back
 * to the last `absent` one; `unknown` snapshots neither break the run nor age
 * it: the age is measured to the newest snapshot that actually saw the item,
 * so a stretch where a compared source was unknown cannot turn settling into
 * settled. Observations in time order.
 */
export function classifySettle(history: readonly Observation[], windowMs: number): SettleVerdict {
  let since: number | null = null;
  let lastSeen: number | null = null;
  for (let i = history.length - 1; i >= 0; i--) {
    const o = history[i]!;
    if (o.state === 'absent') break;
    if (o.state === 'seen') {
      since = o.at;
      lastSeen ??= o.at;
    }
  }
  if (since === null || lastSeen === null) return { state: 'absent' };
  return lastSeen - since >= windowMs ? { state: 'settled', since } : { state: 'settling', since };
}

/** An episode (drift --since) shorter than the window is transient; an open one is not yet. */
export function isTransient(episode: { start: number; end: number | null }, windowMs: number): boolean {
  return episode.end !== null && episode.end - episode.start < windowMs;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "90s", "2m", "500ms", "1h" → ms; anything else is a UsageError. */
export function parseSettle(text: string, what = '--settle'): number {
  const m = /^(\d+)(ms|s|m|h)$/.exec(text.trim());
  if (!m) throw new UsageError(`${what}: expected a duration like 60s, 2m or 500ms, got '${text}'`);
  return Number(m[1]) * UNITS[m[2]!]!;
}

/** `{"agent_role_differs": "2m"}` from the config file → ms per kind. */
export function parseSettlePerKind(map: unknown, knownKinds: readonly string[]): Record<string, number> {
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw new UsageError('settle: expected an object of kind: duration');
  const out: Record<string, number> = {};
  for (const [kind, v] of Object.entries(map)) {
    if (!knownKinds.includes(kind)) throw new UsageError(`settle: unknown drift kind '${kind}'`);
    if (typeof v !== 'string') throw new UsageError(`settle.${kind}: expected a duration string`);
    out[kind] = parseSettle(v, `settle.${kind}`);
  }
  return out;
}
