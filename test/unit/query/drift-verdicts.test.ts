// The glue between drift found and what pages (pure, no I/O): item histories
// from drift steps, settled/settling verdicts (an unseen start counts as
// settled), ignore rules applied after settling and stopping at expiry,
// transient episodes, the exit decision, and the settle/--fail-on arguments.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failOnArg, settleConfigArg } from '../../../src/cli/drift-policy.js';
import { UsageError } from '../../../src/errors.js';
import type { DriftEpisode, DriftStep, ItemState } from '../../../src/query/drift-history.js';
import { applyIgnoreRules, episodeIsSettling, episodeIsTransient, fails, judgeEpisodes, splitSettling, utcDate } from '../../../src/query/drift-verdicts.js';
import { driftKey, type DriftItem } from '../../../src/query/drift.js';
import type { IgnoreRule } from '../../../src/query/ignore-rules.js';
import { itemHistories, settleItem } from '../../../src/query/settle-history.js';
import type { Observation, SettleConfig } from '../../../src/query/settling.js';
import { SOURCES, type SourceName } from '../../../src/snapshot/source-name.js';
import type { SnapshotMark } from '../../../src/model/snapshot-mark.js';

const X: DriftItem = { kind: 'offline_not_missing', ids: ['h1'], sources: ['status', 'zk.missing'], sides: { status: 'OFFLINE', 'zk.missing': false } };
const Y: DriftItem = { kind: 'leaf_owner_differs', ids: ['L1'], sources: ['zk.roles', 'chairman'], sides: { 'zk.roles': 'h1', chairman: 'h2' } };
const ALL = new Set<SourceName>(SOURCES);
const without = (...s: SourceName[]) => new Set(SOURCES.filter((x) => !s.includes(x)));
// Snapshots 20 s apart: #n at n × 20 s.
const at = (id: number): SnapshotMark => ({ id, startedAt: id * 20_000 });
const snaps = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => at(from + i));
const W: SettleConfig = { defaultMs: 60_000, perKind: {} };

function step(id: number, known: ReadonlySet<SourceName>, changed: [DriftItem, ItemState['status'] | null][] = []): DriftStep {
  return { point: { snapshot: at(id), prev: at(id - 1) }, known, changed: new Map(changed.map(([i, s]) => [driftKey(i), s ? { status: s, item: i } : null])) };
}
const states = (h: Observation[] | undefined) => h?.map((o) => o.state[0]).join('');

test('item histories: a state holds from its step to the next; gone while a compared source is unknown is unknown', () => {
  const steps = [step(1, ALL), step(3, ALL, [[X, 'drift']]), step(4, without('status'), [[X, 'cannot_compare']]), step(5, without('status'), [[X, null]]), step(7, ALL, [[X, 'drift']])];
  const h = itemHistories(steps, snaps(1, 8), [{ key: driftKey(X), sources: X.sources }, { key: driftKey(Y), sources: Y.sources }]);
  // s seen, u unknown, a absent
  assert.equal(states(h.get(driftKey(X))), 'aasuuuss');
  assert.equal(states(h.get(driftKey(Y))), 'aaaaaaaa', 'Y compares no source that was unknown');
  assert.deepEqual(h.get(driftKey(X))!.map((o) => o.at), snaps(1, 8).map((m) => m.startedAt));
});

test('an item absent at the first snapshot and younger than the window is settling; as old as the window, settled', () => {
  const o = (...s: string[]) => s.map((st, i): Observation => ({ at: i * 20_000, state: ({ a: 'absent', s: 'seen', u: 'unknown' } as const)[st as 'a']! }));
  assert.deepEqual(settleItem(o('a', 's'), 60_000), { state: 'settling', since: 20_000 });
  assert.deepEqual(settleItem(o('a', 's', 's', 's'), 60_000), { state: 'settling', since: 20_000 });
  assert.deepEqual(settleItem(o('a', 's', 's', 's', 's'), 60_000), { state: 'settled', since: 20_000 });
  // Unknown snapshots neither age nor reset it.
  assert.deepEqual(settleItem(o('a', 's', 'u', 'u', 'u', 's'), 60_000), { state: 'settled', since: 20_000 });
  assert.deepEqual(settleItem(o('a', 's', 'u', 'u', 'u', 'u'), 60_000), { state: 'settling', since: 20_000 });
  assert.deepEqual(settleItem(o('s', 'a', 's'), 60_000), { state: 'settling', since: 40_000 }, 'an agreement resets it');
});

test('an item never seen absent in its history has an unknown start: settled, since null', () => {
  assert.deepEqual(settleItem([{ at: 0, state: 'seen' }, { at: 20_000, state: 'seen' }], 60_000), { state: 'settled', since: null });
  assert.deepEqual(settleItem([{ at: 0, state: 'unknown' }, { at: 20_000, state: 'seen' }], 60_000), { state: 'settled', since: null });
});

test('splitSettling: per-kind windows; an item without a history is settled', () => {
  const hist = new Map([
    [driftKey(X), [{ at: 0, state: 'absent' }, { at: 20_000, state: 'seen' }, { at: 100_000, state: 'seen' }] as Observation[]],
    [driftKey(Y), [{ at: 0, state: 'absent' }, { at: 20_000, state: 'seen' }, { at: 100_000, state: 'seen' }] as Observation[]],
  ]);
  const slowX: SettleConfig = { defaultMs: 60_000, perKind: { offline_not_missing: 120_000 } };
  const r = splitSettling([X, Y], (i) => hist.get(driftKey(i)), slowX);
  assert.deepEqual(r.settling, [{ ...X, since: 20_000 }]);
  assert.deepEqual(r.settled, [{ ...Y, since: 20_000 }]);
  assert.deepEqual(splitSettling([X], () => undefined, W), { settled: [{ ...X, since: null }], settling: [] });
});

const rule = (ids: string, until: string, kind = 'offline_not_missing'): IgnoreRule => ({ kind, ids, reason: 'known', owner: 'ops', until });

test('ignore rules hide exactly their items, with the rule, and stop matching after their last day', () => {
  const X2: DriftItem = { ...X, ids: ['h2'] };
  const rules = [rule('h1', '2026-12-04')];
  const live = applyIgnoreRules([X, X2, Y], rules, '2026-12-04');
  assert.deepEqual(live.kept, [X2, Y]);
  assert.deepEqual(live.ignored, [{ ...X, rule: rules[0] }]);
  assert.deepEqual(live.expiredRules, []);
  const expired = applyIgnoreRules([X, X2, Y], rules, '2026-12-05');
  assert.deepEqual(expired.kept, [X, X2, Y]);
  assert.deepEqual(expired.ignored, []);
  assert.deepEqual(expired.expiredRules, rules);
  assert.equal(utcDate(Date.parse('2026-12-04T23:59:59Z')), '2026-12-04');
  assert.equal(utcDate(Date.parse('2026-12-05T00:00:00Z')), '2026-12-05');
});

function episode(item: DriftItem, start: [number | null, number], lastSeen: number, endBy: number | null): DriftEpisode {
  const { kind, ids, sources, sides } = item;
  const s = { after: start[0] === null ? null : at(start[0]), by: at(start[1]) };
  return { kind, ids, sources, sides, start: s, lastSeen: at(lastSeen), endBy: endBy === null ? null : at(endBy), duration: { minMs: 0, maxMs: null } };
}

test('episodes: closed within the window are transient; open, long, or with an unseen start are not', () => {
  assert.equal(episodeIsTransient(episode(X, [1, 2], 3, 4), W), true, 'seen 20 s');
  assert.equal(episodeIsTransient(episode(X, [1, 2], 5, 6), W), false, 'seen 60 s');
  assert.equal(episodeIsTransient(episode(X, [1, 2], 2, null), W), false, 'still open');
  assert.equal(episodeIsTransient(episode(X, [null, 2], 2, 3), W), false, 'start not seen');
});

test('episodes: open and seen for less than the window, start seen, are settling', () => {
  assert.equal(episodeIsSettling(episode(X, [1, 2], 4, null), W), true, 'seen 40 s, open');
  assert.equal(episodeIsSettling(episode(X, [1, 2], 5, null), W), false, 'seen 60 s');
  assert.equal(episodeIsSettling(episode(X, [1, 2], 3, 4), W), false, 'closed: transient, not settling');
  assert.equal(episodeIsSettling(episode(X, [null, 2], 2, null), W), false, 'start not seen');
});

test('judgeEpisodes: each episode is transient, settling, ignored or counting; exit only for counting ones of --fail-on kinds', () => {
  const short = episode(X, [1, 2], 2, 3);
  const young = { ...episode(X, [1, 2], 3, null), ids: ['h1'] };
  const ignored = episode(X, [1, 2], 9, 10);
  const counting = episode(Y, [1, 2], 9, null);
  const r = judgeEpisodes([short, young, ignored, counting], W, [rule('h1', '2030-01-01')], '2026-12-04');
  const flags = (e: (typeof r.episodes)[number]) => [e.transient, e.settling, e.ignoredBy?.ids ?? null];
  assert.deepEqual(r.episodes.map(flags), [[true, false, null], [false, true, null], [false, false, 'h1'], [false, false, null]]);
  assert.deepEqual(r.counting, [{ ...counting, transient: false, settling: false, ignoredBy: null }]);
  assert.equal(fails(r.counting, null), true);
  assert.equal(fails(r.counting, ['offline_not_missing']), false);
  assert.equal(fails(r.counting, ['leaf_owner_differs']), true);
  assert.equal(fails([], null), false);
});

test('settle and --fail-on arguments: a duration, a per-kind object with a default, and usage errors', () => {
  assert.deepEqual(settleConfigArg(undefined), { defaultMs: 60_000, perKind: {} });
  assert.deepEqual(settleConfigArg('0s'), { defaultMs: 0, perKind: {} });
  assert.deepEqual(settleConfigArg({ default: '30s', agent_role_differs: '2m' }), { defaultMs: 30_000, perKind: { agent_role_differs: 120_000 } });
  assert.deepEqual(settleConfigArg({ leaf_owner_differs: '90s' }), { defaultMs: 60_000, perKind: { leaf_owner_differs: 90_000 } });
  for (const bad of ['soon', 5, [], { nope: '1m' }, { default: 3 }]) assert.throws(() => settleConfigArg(bad), UsageError, JSON.stringify(bad));
  assert.equal(failOnArg(undefined), null);
  assert.deepEqual(failOnArg('leaf_owner_differs,node_error'), ['leaf_owner_differs', 'node_error']);
  assert.throws(() => failOnArg('leaf_owner'), UsageError);
});
