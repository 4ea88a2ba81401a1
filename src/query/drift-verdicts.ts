// From drift found to what an operator is paged for (pure): settling first
// (too young to be drift), then ignore rules (accepted drift, listed apart with
// its rule), then --fail-on (which kinds fail a cron run). Nothing is dropped:
// every item ends up in exactly one list.
import type { DriftEpisode } from './drift-history.js';
import type { DriftItem } from './drift.js';
import { matchIgnoreRules, type IgnoreRule } from './ignore-rules.js';
import { settleItem } from './settle-history.js';
import { isTransient, settleMsFor, type Observation, type SettleConfig } from './settling.js';
import { failingItems } from './drift-alerting.js';

/** Drift at one snapshot; `since` null: already there at the start of the settle history ("start not seen"). */
export type SettledItem = DriftItem & { since: number | null };
export type SettlingItem = DriftItem & { since: number };
export type Ignored<T> = T & { rule: IgnoreRule };

/** `histories` by driftKey (missing: no history, as with a window of 0: settled). */
export function splitSettling(
  drift: readonly DriftItem[],
  historyOf: (item: DriftItem) => readonly Observation[] | undefined,
  settle: SettleConfig,
): { settled: SettledItem[]; settling: SettlingItem[] } {
  const settled: SettledItem[] = [];
  const settling: SettlingItem[] = [];
  for (const item of drift) {
    const history = historyOf(item);
    const v = history ? settleItem(history, settleMsFor(item.kind, settle)) : { state: 'settled' as const, since: null };
    if (v.state === 'settling') settling.push({ ...item, since: v.since });
    else settled.push({ ...item, since: v.since });
  }
  return { settled, settling };
}

/** Items matched by a live rule move to `ignored`, each with its rule; `today` is YYYY-MM-DD (UTC). */
export function applyIgnoreRules<T extends { kind: string; ids: string[] }>(
  items: readonly T[],
  rules: readonly IgnoreRule[],
  today: string,
): { kept: T[]; ignored: Ignored<T>[]; expiredRules: IgnoreRule[] } {
  const m = matchIgnoreRules(items, rules, today);
  return { kept: m.kept, ignored: m.ignored.map(({ item, rule }) => ({ ...item, rule })), expiredRules: m.expiredRules };
}

/** The UTC date of `now`, as ignore rules' `until` is written. */
export function utcDate(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

/** Whether the run fails (exit 3): some item that counts, of a --fail-on kind when given. */
export function fails(counting: readonly { kind: string }[], failOn: readonly string[] | null): boolean {
  return failingItems(counting, failOn).length > 0;
}

/** An episode that closed within its kind's window never became drift; one whose start was not seen may be old. */
export function episodeIsTransient(e: DriftEpisode, settle: SettleConfig): boolean {
  if (e.start.after === null) return false;
  return isTransient({ start: e.start.by.startedAt, end: e.endBy ? e.lastSeen.startedAt : null }, settleMsFor(e.kind, settle));
}

/**
 * Still open at the window's end and seen for less than its kind's window,
 * its start seen: as at one snapshot, settling, not drift yet (a cron run over
 * the last 10 minutes must not page on a move that is converging right now).
 */
export function episodeIsSettling(e: DriftEpisode, settle: SettleConfig): boolean {
  if (e.start.after === null || e.endBy !== null) return false;
  return e.lastSeen.startedAt - e.start.by.startedAt < settleMsFor(e.kind, settle);
}

export type JudgedEpisode = DriftEpisode & { transient: boolean; settling: boolean; ignoredBy: IgnoreRule | null };

/**
 * Every episode marked transient, settling, or (like settled drift, by which
 * rule) ignored: each is at most one of these, and `counting` when none.
 */
export function judgeEpisodes(
  episodes: readonly DriftEpisode[],
  settle: SettleConfig,
  rules: readonly IgnoreRule[],
  today: string,
): { episodes: JudgedEpisode[]; counting: JudgedEpisode[]; expiredRules: IgnoreRule[] } {
  const young = episodes.map((e) => ({ e, transient: episodeIsTransient(e, settle), settling: episodeIsSettling(e, settle) }));
  const m = matchIgnoreRules(young.filter((y) => !y.transient && !y.settling).map((y) => y.e), rules, today);
  const ruleOf = new Map(m.ignored.map(({ item, rule }) => [item, rule]));
  const judged = young.map(({ e, transient, settling }) => ({ ...e, transient, settling, ignoredBy: ruleOf.get(e) ?? null }));
  return { episodes: judged, counting: judged.filter((e) => !e.transient && !e.settling && !e.ignoredBy), expiredRules: m.expiredRules };
}
