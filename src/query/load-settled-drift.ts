// `drift` with settling and ignore rules (I/O glue). One snapshot: the items
// loadDrift finds there, each judged on its history over the last settle
// window plus the snapshot before it (walked like `drift --since`), then
// matched against the ignore rules. A window: the episodes, each marked
// transient (shorter than its kind's window) or ignored.
import type { SnapshotMark } from '../model/snapshot-mark.js';
import { type HistoryReader, type SnapshotRow } from '../store/index.js';
import { applyIgnoreRules, judgeEpisodes, splitSettling, type Ignored, type JudgedEpisode, type SettledItem, type SettlingItem } from './drift-verdicts.js';
import { driftKey, type DriftItem } from './drift.js';
import type { IgnoreRule } from './ignore-rules.js';
import { driftStepsBetween, type DriftHistoryReport } from './load-drift-history.js';
import { countKinds, loadDrift, type DriftReport } from './load-drift.js';
import { itemHistories } from './settle-history.js';
import { driftAffected, type BlastRadius } from './blast-radius.js';
import { loadBlastRadius } from './load-blast-radius.js';
import { settleMsFor, type Observation, type SettleConfig } from './settling.js';

export interface DriftPolicy {
  settle: SettleConfig;
  rules: readonly IgnoreRule[];
  /** YYYY-MM-DD (UTC): rules with an earlier `until` have expired. */
  today: string;
}

export interface SettledDriftReport extends Omit<DriftReport, 'drift'> {
  /** Settled, not ignored: what `total`, `counts` and the exit status count. */
  drift: SettledItem[];
  settling: SettlingItem[];
  ignored: Ignored<SettledItem>[];
  expiredRules: IgnoreRule[];
  settleMs: number;
  settleMsByKind: Record<string, number>;
  /** The hosts the drift (settled, not ignored) affects, per leaf and zone (blast-radius.ts). */
  blastRadius: BlastRadius;
}

/** The snapshots from one before `asked − windowMs` up to `asked`, in order. */
function historySnapshots(db: HistoryReader, asked: SnapshotMark, windowMs: number): SnapshotMark[] {
  const inWindow = db.listSnapshots({ since: asked.startedAt - windowMs, until: asked.startedAt })
    .filter((s) => s.id <= asked.id)
    .map((s) => ({ id: s.id, startedAt: s.startedAt }))
    .sort((a, b) => a.id - b.id);
  const first = inWindow[0] ?? asked;
  const before = db.marks().before(first.id);
  return before ? [before, ...inWindow] : inWindow;
}

function settleHistories(db: HistoryReader, asked: SnapshotMark, drift: readonly DriftItem[], settle: SettleConfig): Map<string, Observation[]> {
  // Even with a window of 0 the snapshot before is looked at, so `since` says when the item appeared.
  if (drift.length === 0) return new Map();
  const windowMs = drift.reduce((ms, i) => Math.max(ms, settleMsFor(i.kind, settle)), 0);
  const snapshots = historySnapshots(db, asked, windowMs);
  const items = drift.map((i) => ({ key: driftKey(i), sources: i.sources }));
  const histories = itemHistories(driftStepsBetween(db, snapshots[0]!, asked), snapshots, items);
  // loadDrift found each item at `asked`: that observation is 'seen', whatever the walk made of it.
  for (const h of histories.values()) h[h.length - 1] = { at: asked.startedAt, state: 'seen' };
  return histories;
}

export function loadSettledDrift(db: HistoryReader, snapshot: SnapshotRow, policy: DriftPolicy): SettledDriftReport {
  const base = loadDrift(db, snapshot);
  const histories = settleHistories(db, base.snapshot, base.drift, policy.settle);
  const { settled, settling } = splitSettling(base.drift, (i) => histories.get(driftKey(i)), policy.settle);
  const { kept, ignored, expiredRules } = applyIgnoreRules(settled, policy.rules, policy.today);
  return {
    ...base,
    total: kept.length,
    counts: countKinds(kept),
    drift: kept,
    settling,
    ignored,
    expiredRules,
    settleMs: policy.settle.defaultMs,
    settleMsByKind: { ...policy.settle.perKind },
    blastRadius: loadBlastRadius(db, snapshot.id, driftAffected(kept)),
  };
}

export interface JudgedDriftHistoryReport extends Omit<DriftHistoryReport, 'episodes'> {
  /** Every episode, as before, each marked `transient`, `settling` and `ignoredBy` (the rule, or null). */
  episodes: JudgedEpisode[];
  transient: number;
  settling: number;
  ignored: number;
  expiredRules: IgnoreRule[];
  settleMs: number;
  settleMsByKind: Record<string, number>;
}

/** `counting`: the episodes neither transient, settling nor ignored (what the exit status is about). */
export function judgeDriftHistory(r: DriftHistoryReport, policy: DriftPolicy): { report: JudgedDriftHistoryReport; counting: JudgedEpisode[] } {
  const { episodes, counting, expiredRules } = judgeEpisodes(r.episodes, policy.settle, policy.rules, policy.today);
  const report: JudgedDriftHistoryReport = {
    ...r,
    episodes,
    transient: episodes.filter((e) => e.transient).length,
    settling: episodes.filter((e) => e.settling).length,
    ignored: episodes.filter((e) => e.ignoredBy).length,
    expiredRules,
    settleMs: policy.settle.defaultMs,
    settleMsByKind: { ...policy.settle.perKind },
  };
  return { report, counting };
}
