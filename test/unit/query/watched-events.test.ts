// The daemon's watched record, pure parts: events into record values, back
// into timeline events in zxid order, gaps as text, what hidden_changes
// counts as seen, the daemon's bounded buffer, and the check that a watch
// never contradicts the snapshots around it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WatchEvent } from '../../../src/model/watch-event.js';
import type { ZkStat } from '../../../src/model/zk-stat.js';
import { WatchBuffer } from '../../../src/daemon/watch-buffer.js';
import { hiddenChanges } from '../../../src/query/hidden-changes.js';
import { watchedChangeCounts } from '../../../src/query/hidden-changes.js';
import { mergeWatched, type TimelineEvent } from '../../../src/query/timeline.js';
import { watchContradictions, type WatchedState } from '../../../src/query/watch-consistency.js';
import { gapPhrase, watchedPhrase, watchTimelineEvents, type WatchRecordRow } from '../../../src/query/watched-events.js';
import { watchWrites } from '../../../src/snapshot/zk-watch-facts.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { writeSnapshot } from '../../../src/store/write-snapshot.js';
import { loadHostHistory } from '../../../src/query/load-host-history.js';
import { loadTimeline } from '../../../src/query/load-timeline.js';
import { pruneHistory } from '../../../src/store/prune.js';
import { renderHostHistoryText } from '../../../src/cli/render/history-text.js';
import { observation } from '../../support/observation.js';
import { mark } from './marks.js';
import { codeOf } from '../../../src/store/source-codes.js';

const A = { id: 41, startedAt: 1_000_000 };
const B = { id: 42, startedAt: 1_300_000 };

function stat(o: Partial<ZkStat> = {}): ZkStat {
  return { ctime: 1, mtime: 1, czxid: '10', mzxid: '10', pzxid: '10', version: 0, cversion: 0, ephemeralOwner: '0', ...o };
}

// A leader flap: m-7 leaves (its data watch fires, then the parent's), m-8 registers.
const FLAP: WatchEvent[] = [
  { path: '/services/chairman/m-7', kind: 'deleted', stat: null, arrivedAt: 1_100_010 },
  { path: '/services/chairman', kind: 'children', added: [], removed: ['m-7'], stat: stat({ pzxid: 'a1', cversion: 8 }), arrivedAt: 1_100_012 },
  { path: '/services/chairman', kind: 'children', added: ['m-8'], removed: [], stat: stat({ pzxid: 'a2', cversion: 9 }), arrivedAt: 1_120_005 },
  { path: '/services/chairman/m-8', kind: 'data', value: 'AAA=', stat: stat({ czxid: 'a2', mzxid: 'a2', ctime: 1_120_001, mtime: 1_120_001 }), arrivedAt: 1_120_006 },
];

function rowsOf(events: WatchEvent[], gaps: { from: number; to: number | null; reason: string }[] = []): WatchRecordRow[] {
  return watchWrites({ events, gaps, dropped: 0 }).map((w) => ({ entity: w.entity, value: w.value, by: B, after: A }));
}

test('a quiet interval writes nothing', () => {
  assert.deepEqual(watchWrites({ events: [], gaps: [], dropped: 0 }), []);
});

test('events become one version per path (in arrival order), gaps one per start, drops a count', () => {
  const writes = watchWrites({ events: FLAP, gaps: [{ from: 5, to: 9, reason: 'expired' }], dropped: 3 });
  assert.deepEqual(writes.map((w) => w.entity), ['/services/chairman/m-7', '/services/chairman', '/services/chairman/m-8', 'gap:5', 'dropped']);
  const parent = JSON.parse(writes[1]!.value!) as { events: { removed: string[]; added: string[] }[] };
  assert.deepEqual(parent.events.map((e) => [e.removed, e.added]), [[['m-7'], []], [[], ['m-8']]]);
  assert.deepEqual(JSON.parse(writes[3]!.value!), { from: 5, reason: 'expired', to: 9 });
  assert.deepEqual(JSON.parse(writes[4]!.value!), { count: 3 });
});

test('timeline: watched events in zxid order, a new node timed by its ctime, a child change by its arrival', () => {
  const events = watchTimelineEvents(rowsOf([...FLAP].reverse()), ['zk.services']);
  assert.deepEqual(events.map((e) => (e.type === 'watched' ? [e.path, e.zxid] : e.type)), [
    ['/services/chairman', 'a1'],
    ['/services/chairman', 'a2'],
    ['/services/chairman/m-8', 'a2'],
  ]);
  const reg = events[2]!;
  assert.ok(reg.type === 'watched');
  assert.deepEqual(reg.at, { after: A, by: B, exact: { at: 1_120_001, record: 'watched: ctime of /services/chairman/m-8' } });
  assert.equal(watchedPhrase(reg), 'written (version 0), watched: ctime of /services/chairman/m-8');
  const left = events[0]!;
  assert.ok(left.type === 'watched');
  assert.equal(left.at.exact, undefined, "a child change's time is treesnap's clock, not a ZooKeeper record");
  assert.deepEqual(left.time, { at: 1_100_012, origin: 'arrival', record: "watched: children event of /services/chairman arrived (treesnap's clock)" });
  assert.equal(watchedPhrase(left), "children -m-7, watched: children event of /services/chairman arrived (treesnap's clock)");
  assert.deepEqual(watchTimelineEvents(rowsOf(FLAP), ['zk.missing']), [], 'only the chosen sources');
});

test('a rewrite is timed by mtime', () => {
  const e: WatchEvent = { path: '/roles/h1', kind: 'data', value: '', stat: stat({ version: 3, mtime: 77, mzxid: 'b0' }), arrivedAt: 80 };
  const [w] = watchTimelineEvents(rowsOf([e]), ['zk.roles']);
  assert.ok(w?.type === 'watched');
  assert.deepEqual(w.at.exact, { at: 77, record: 'watched: mtime of /roles/h1' });
});

test('a gap reads "changes not watched from T1 to T2", first in its interval', () => {
  const events = watchTimelineEvents(rowsOf(FLAP, [{ from: 1_050_000, to: 1_060_000, reason: 'disconnected' }]), ['zk.services']);
  const gap = events[0]!;
  assert.ok(gap.type === 'watch_gap');
  assert.equal(gapPhrase(gap), 'changes not watched from 1970-01-01T00:17:30.000Z to 1970-01-01T00:17:40.000Z (disconnected)');
  assert.equal(gapPhrase({ from: 0, to: null, reason: 'expired' }), 'changes not watched from 1970-01-01T00:00:00.000Z on (still not watched when recorded) (expired)');
});

test('merged into the timeline: an interval\'s watched events come before the changes its closing snapshot saw that have no exact time', () => {
  const watched = watchTimelineEvents(rowsOf(FLAP), ['zk.services']);
  const change = (by: typeof A): TimelineEvent => ({ type: 'change', at: { after: null, by }, source: 'zk.services', change: { category: 'member_added', id: 'chairman/m-8', before: null, after: { address: null, error: null } } });
  const merged = mergeWatched([change(A), change(B), change({ id: 43, startedAt: 2_000_000 })], watched);
  assert.deepEqual(merged.map((e) => `${e.type}@${e.at.by.id}`), ['change@41', 'watched@42', 'watched@42', 'watched@42', 'change@42', 'change@43']);
});

test('merged into the timeline: within an interval, a change with an exact time among the watched events by that time; they keep their zxid order, bounds-only events their places', () => {
  const watched = watchTimelineEvents(rowsOf(FLAP), ['zk.services']);
  const times = watched.map((e) => (e.type === 'watched' ? e.time.at : NaN));
  const change = (id: string, exactAt?: number): TimelineEvent => ({
    type: 'change',
    at: { after: A, by: B, ...(exactAt === undefined ? {} : { exact: { at: exactAt, record: `ctime of /services/${id}` } }) },
    source: 'zk.services',
    change: { category: 'member_added', id, before: null, after: { address: null, error: null } },
  });
  // Created (ctime) before the first watched event arrived: listed first, where the first watched event was.
  const merged = mergeWatched([change('chairman/m-8', times[0]! - 5), change('chairman/m-9')], watched);
  const label = (e: TimelineEvent) => (e.type === 'change' ? `change ${e.change.id}` : e.type === 'watched' ? `watched ${e.time.at}` : e.type);
  assert.deepEqual(merged.map(label), ['change chairman/m-8', ...times.map((t) => `watched ${t}`), 'change chairman/m-9']);
  // A ctime between two watched events' times goes between them.
  const between = mergeWatched([change('chairman/m-8', times[1]! - 1)], watched);
  assert.deepEqual(between.map(label), [`watched ${times[0]}`, 'change chairman/m-8', ...times.slice(1).map((t) => `watched ${t}`)]);
});

test('hidden_changes: what the watcher saw is seen, so a flap it watched is not hidden', () => {
  const counts = watchedChangeCounts(watchTimelineEvents(rowsOf(FLAP), ['zk.services']));
  assert.equal(counts.get(`42\u0000/services/chairman`), 2);
  const change = { path: '/services/chairman', before: stat({ cversion: 7 }), after: stat({ cversion: 9 }), previous: A, snapshot: B };
  assert.equal(hiddenChanges(change, [], counts.get(`42\u0000/services/chairman`)), null);
  assert.deepEqual(hiddenChanges(change, [], 1)?.seen, 1, 'one watched, one hidden (a gap)');
  // A role rewritten twice with the same value, one write watched.
  const role = { path: '/roles/h1', before: stat({ version: 1 }), after: stat({ version: 3 }), previous: A, snapshot: B };
  assert.deepEqual([hiddenChanges(role, [], 1)?.changes, hiddenChanges(role, [], 1)?.seen], [2, 1]);
  assert.equal(hiddenChanges(role, [], 2), null);
});

test('the buffer keeps events up to its bound and counts the rest; events after the cut wait for the next tick', () => {
  const b = new WatchBuffer(2);
  for (const at of [1, 2, 3, 4]) b.add({ path: '/roles/h1', kind: 'data', stat: stat(), arrivedAt: at });
  b.gap({ from: 1, to: null, reason: 'disconnected' });
  b.gap({ from: 1, to: 2, reason: 'disconnected' });
  const first = b.take(2);
  assert.deepEqual([first.events.map((e) => e.arrivedAt), first.gaps, first.dropped], [[1], [{ from: 1, to: 2, reason: 'disconnected' }], 2]);
  b.putBack(first);
  const again = b.take(10);
  assert.deepEqual([again.events.map((e) => e.arrivedAt), again.dropped], [[1, 2], 2]);
  assert.deepEqual(b.take(10), { events: [], gaps: [], dropped: 0 });
});

function state(children: Record<string, string[]>, stats: Record<string, ZkStat> = {}): WatchedState {
  return { children: new Map(Object.entries(children).map(([p, n]) => [p, new Set(n)])), stats: new Map(Object.entries(stats)) };
}

test('replaying an interval onto the earlier snapshot gives the later one; a contradiction is named', () => {
  const before = state({ '/services/chairman': ['m-7'] });
  const after = state({ '/services/chairman': ['m-8'] }, { '/services/chairman/m-8': stat({ mzxid: 'a2' }) });
  assert.deepEqual(watchContradictions(before, FLAP, after), []);
  // Events already seen by the earlier snapshot (they arrived while it read) replay to the same state.
  assert.deepEqual(watchContradictions(state({ '/services/chairman': ['m-8'] }), FLAP, after), []);
  assert.deepEqual(watchContradictions(before, FLAP.slice(0, 2), after), ['/services/chairman: replay gives -m-8 against the later snapshot']);
  const stale = state({ '/services/chairman': ['m-8'] }, { '/services/chairman/m-8': stat({ mzxid: '9' }) });
  assert.deepEqual(watchContradictions(before, FLAP, stale), ["/services/chairman/m-8: watched mzxid a2 is newer than the later snapshot's 9"]);
});

test('history HOST: the watched events of its own nodes, its name only; text merges them into its changes', () => {
  const db = openDatabase(':memory:');
  const base = { leaves: { L1: ['h1', 'h2'] } };
  writeSnapshot(db, observation({ ...base, at: mark(1).startedAt }));
  // h2 reported missing and withdrawn between two ticks, together with h9 once; /roles/h1 rewritten.
  const t = mark(1).startedAt;
  const events: WatchEvent[] = [
    { path: '/missing', kind: 'children', added: ['h2', 'h9'], removed: [], stat: stat({ pzxid: 'c1' }), arrivedAt: t + 10 },
    { path: '/missing', kind: 'children', added: [], removed: ['h2'], stat: stat({ pzxid: 'c2' }), arrivedAt: t + 20 },
    { path: '/roles/h1', kind: 'data', value: '', stat: stat({ mzxid: 'c3', version: 4, mtime: t + 25 }), arrivedAt: t + 30 },
  ];
  writeSnapshot(db, observation({ ...base, at: mark(2).startedAt }), watchWrites({ events, gaps: [], dropped: 0 }));
  const h2 = loadHostHistory(db, 'h2');
  assert.deepEqual(h2.watched?.map((e) => [e.path, e.added, e.removed]), [['/missing', ['h2'], []], ['/missing', [], ['h2']]]);
  assert.deepEqual(loadHostHistory(db, 'h1').watched?.map((e) => e.path), ['/roles/h1']);
  assert.match(renderHostHistoryText(h2), /zk\.missing\s+\/missing\s+children \+h2, watched/);
  assert.match(renderHostHistoryText(h2), /zk\.missing\s+\/missing\s+children -h2, watched/);
});

test('a large value is recorded as its digest and size, a small one as read', () => {
  const e: WatchEvent = { path: '/roles/h1', kind: 'data', digest: '0123456789abcdef', size: 4800, stat: stat({ version: 2 }), arrivedAt: 5 };
  const [w] = watchWrites({ events: [e, { ...FLAP[3]! }], gaps: [], dropped: 0 });
  assert.deepEqual(JSON.parse(w!.value!), { events: [{ kind: 'data', digest: '0123456789abcdef', size: 4800, stat: stat({ version: 2 }), arrivedAt: 5 }] });
});

test('the record holds events, not state: closed at the next snapshot, so prune never carries an event into another interval', () => {
  const db = openDatabase(':memory:');
  const base = { leaves: { L1: ['h1', 'h2'] } };
  const count = () => (db.$client.prepare(`SELECT count(*) AS n FROM fact_versions WHERE source = ${codeOf("'zk.watch'")}`).get() as { n: number }).n;
  writeSnapshot(db, observation({ ...base, at: mark(1).startedAt }));
  writeSnapshot(db, observation({ ...base, at: mark(2).startedAt }), watchWrites({ events: FLAP, gaps: [{ from: 5, to: null, reason: 'disconnected' }], dropped: 0 }));
  const written = count();
  writeSnapshot(db, observation({ ...base, at: mark(3).startedAt }));
  assert.equal(count(), written * 2, 'each closed at the next snapshot');
  writeSnapshot(db, observation({ ...base, at: mark(4).startedAt }));
  assert.equal(count(), written * 2, 'a quiet interval after a quiet one adds nothing');
  assert.equal(watchTimelineEvents(rowsOf([]), ['zk.services']).length, 0);
  assert.equal(loadTimeline(db, { since: mark(1).startedAt }).events.filter((e) => e.type === 'watched').length, 3);
  pruneHistory(db, { before: mark(3).startedAt });
  assert.deepEqual(loadTimeline(db, {}).events.filter((e) => e.type === 'watched' || e.type === 'watch_gap'), []);
});
