// The parts of the watched record a diff reads (load-watched-of.ts) against
// the whole record of the range it read before (loadWatched), on the bench's
// generated history (Stats, watched records, ZooKeeper outages as gaps): the
// same removal and creation times for every child the range's events name, the
// same watched counts for every path, and the same hidden changes judged
// through the seen-change index as through every change of the diff.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateHistory, historySpec } from '../../../bench/history/generate-history.js';
import type { SnapshotMark } from '../../../src/model/snapshot-mark.js';
import type { ZkStat } from '../../../src/model/zk-stat.js';
import { diffHiddenChanges, seenChangesIndex, type SeenChange, watchedChangeCounts } from '../../../src/query/hidden-changes.js';
import { loadWatched } from '../../../src/query/load-timeline.js';
import { childrenNamed, loadWatchedOf, watchedChangesOf } from '../../../src/query/load-watched-of.js';
import { watchedChildTimes } from '../../../src/query/watched-times.js';
import { SOURCES, type SourceName } from '../../../src/snapshot/source-name.js';
import { statSourceOf } from '../../../src/snapshot/zk-stat-facts.js';
import { changedKeys, marks } from '../../../src/store/index.js';
import type { VersionWrite } from '../../../src/snapshot/plan-versions.js';
import { openDatabase, type SqliteHistory } from '../../../src/store/open-database.js';
import { writeSnapshotDelta } from '../../../src/store/write-snapshot-delta.js';
import { withWriteTransaction } from '../../../src/store/write-transaction.js';

const SNAPSHOTS = 1000;
const w = (entity: string, value: object | null) => ({ kind: 'watch' as const, entity, value: value === null ? null : JSON.stringify(value) });
/** What the generator leaves to chance, written at fixed snapshots: a gap (opened, closed), dropped events, ticks without a watcher. */
const QUALIFIERS: Record<number, VersionWrite[]> = {
  300: [w('gap:1', { from: 1, to: null, reason: 'disconnected' })],
  302: [w('gap:1', { from: 1, to: Date.UTC(2025, 11, 2), reason: 'disconnected' })],
  303: [w('gap:1', null)],
  500: [w('dropped', { count: 3 })],
  501: [w('dropped', null)],
  // Events that are no change of their own: a deletion (told by the parent), one without a Stat.
  600: [w('/services/chairman/m-x', { events: [{ arrivedAt: 1, kind: 'deleted' }] }), w('/roles/zz', { events: [{ arrivedAt: 1, kind: 'data', stat: null }] })],
  601: [w('/services/chairman/m-x', null), w('/roles/zz', null)],
  700: [w('unwatched', { reason: '--no-watch' })],
  711: [w('unwatched', null)],
};

function generated(): SqliteHistory {
  const db = openDatabase(':memory:');
  let n = 0;
  withWriteTransaction(db, () =>
    generateHistory(historySpec(100, SNAPSHOTS), (delta) => void writeSnapshotDelta(db, { ...delta, watch: [...(delta.watch ?? []), ...(QUALIFIERS[++n] ?? [])] })),
  );
  return db;
}

const db = generated();
const m = marks(db);
// Near, a day apart, across outages, the whole history.
const RANGES: [number, number][] = [[1, SNAPSHOTS], [1, 2], [100, 388], [301, 600], [450, 520], [705, 900], [720, 721], [5, 900], [SNAPSHOTS - 250, SNAPSHOTS]];

function namedChildren(afterId: number, toId: number): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const e of loadWatched(db, m, afterId, toId, SOURCES)) {
    if (e.type !== 'watched' || e.kind !== 'children') continue;
    for (const n of [...(e.added ?? []), ...(e.removed ?? [])]) (out.get(e.path) ?? out.set(e.path, new Set()).get(e.path)!).add(n);
  }
  return out;
}

test('the history has what the comparison needs: children created and deleted, a gap, dropped events, ticks not watched', () => {
  const all = loadWatched(db, m, 0, SNAPSHOTS, SOURCES);
  assert.ok(all.filter((e) => e.type === 'watched' && e.kind === 'children' && e.removed?.length).length > 20);
  for (const type of ['watch_gap', 'watch_dropped', 'not_watched']) assert.ok(all.some((e) => e.type === type), type);
  assert.ok(loadWatched(db, m, 705, 900, SOURCES).some((e) => e.type === 'not_watched' && !e.ended), 'ticks without a watcher from before a range');
});

test('removal and creation times from the children named equal those from the whole record', () => {
  const asked = { few: 0, many: 0 };
  for (const [a, b] of RANGES) {
    const from: SnapshotMark = m.mark(a);
    const to: SnapshotMark = m.mark(b);
    const whole = loadWatched(db, m, a, b, SOURCES);
    for (const [parent, set] of namedChildren(a, b)) {
      // Every child named, a few of them, and more than are matched by name (read with the parent's whole record, childrenNamed).
      const many = [...set, ...Array.from({ length: 60 }, (_, i) => `never-named-${i}`)];
      for (const names of [[...set], [...set].slice(0, 3), many]) {
        const children = names.map((name) => ({ parent, name }));
        const part = loadWatchedOf(db, m, a, b, SOURCES, [childrenNamed(parent, names)]);
        asked[childrenNamed(parent, names).mentioning ? 'few' : 'many']++;
        for (const created of [false, true]) {
          assert.deepEqual(watchedChildTimes(part, children, created, from, to), watchedChildTimes(whole, children, created, from, to), `${parent} ${a}..${b}`);
        }
      }
    }
  }
  assert.ok(asked.few > 0 && asked.many > 0, JSON.stringify(asked));
});

test('watched counts per path counted in SQL equal the counts over the whole record', () => {
  for (const [a, b] of RANGES) {
    const whole = new Map<string, number>();
    for (const [key, n] of watchedChangeCounts(loadWatched(db, m, a, b, SOURCES))) {
      const path = key.slice(key.indexOf('\u0000') + 1);
      whole.set(path, (whole.get(path) ?? 0) + n);
    }
    const asked = [...whole.keys(), '/hosts', '/missing', '/roles/none', '/services/chairman/gone', '/services/chairman/m-x', '/roles/zz'];
    // And with more children of one parent than are searched for by name (watchedRemovalsOfChildren).
    const many = [...asked, ...Array.from({ length: 50 }, (_, i) => `/missing/never-${i}`)];
    for (const [paths, sources] of [[asked, SOURCES], [asked, ['zk.missing'] as SourceName[]], [many, SOURCES]] as const) {
      const counted = watchedChangesOf(db, a, b, paths, sources);
      for (const p of paths) {
        const expected = sources === SOURCES ? (whole.get(p) ?? 0) : wholeOf(a, b, p, sources);
        assert.equal(counted.get(p), expected, `${p} ${a}..${b}`);
      }
    }
  }
});

function wholeOf(a: number, b: number, path: string, sources: readonly SourceName[]): number {
  const events = loadWatched(db, m, a, b, SOURCES).filter((e) => e.type !== 'watched' || sources.includes(e.source));
  let n = 0;
  for (const [key, c] of watchedChangeCounts(events)) if (key.slice(key.indexOf('\u0000') + 1) === path) n += c;
  return n;
}

test('hidden changes judged through the seen-change index equal those judged against every change', () => {
  let judged = 0;
  let hiddenFound = 0;
  for (const [a, b] of RANGES) {
    const deltas = changedKeys(db, a, b, SOURCES).map((c) => ({ ...c, before: c.before === null ? null : JSON.parse(c.before), after: c.after === null ? null : JSON.parse(c.after) }));
    const seen = seenChangesIndex(deltas);
    for (const c of changedKeys(db, a, b, ['zk.stat' as SourceName])) {
      if (!statSourceOf(c.entity) || c.before === null || c.after === null) continue;
      const change = { path: c.entity, before: JSON.parse(c.before) as ZkStat, after: JSON.parse(c.after) as ZkStat, previous: m.mark(a), snapshot: m.mark(b) };
      assert.deepEqual(diffHiddenChanges(change, seen(c.entity), 3), diffHiddenChanges(change, deltas, 3), `${c.entity} ${a}..${b}`);
      judged++;
      if (diffHiddenChanges(change, deltas, 3)) hiddenFound++;
    }
  }
  assert.ok(judged > 0 && hiddenFound > 0);
});

test('the seen-change index gives every node the judgement all the changes give it (random changes)', () => {
  let r = 7;
  const rand = (n: number) => (r = (Math.imul(r, 1664525) + 1013904223) >>> 0) % n;
  const host = () => `h${rand(4)}`;
  const leaf = () => (rand(3) ? { owner: host() } : null);
  const make: (() => SeenChange)[] = [
    () => ({ source: 'zk.hosts', kind: 'registration', entity: host(), before: rand(2) ? {} : null, after: rand(2) ? {} : null }),
    () => ({ source: 'zk.services', kind: 'member', entity: `chairman/m-${rand(3)}`, before: null, after: {} }),
    () => ({ source: 'zk.roles', kind: 'leaf', entity: `leaf-${rand(3)}`, before: leaf(), after: leaf() }),
    () => ({ source: 'zk.roles', kind: 'placement', entity: `leaf-${rand(3)}`, before: null, after: {} }),
    () => ({ source: rand(2) ? 'zk.hosts' : 'zk.roles', kind: 'node_error', entity: `/${rand(2) ? 'hosts' : 'roles'}/${host()}`, before: null, after: {} }),
    () => ({ source: 'zk.missing', kind: 'missing', entity: host(), before: null, after: true }),
    () => ({ source: 'status', kind: 'status', entity: host(), before: {}, after: {} }),
  ];
  const paths = ['/hosts', '/missing', '/roles', '/services/chairman', '/services/root-scheduler', '/services/chairman/m-1', '/services/root-scheduler/m-1'];
  for (let i = 0; i < 4; i++) paths.push(`/hosts/h${i}`, `/roles/h${i}`);
  const stat = (): ZkStat => ({ ctime: 1, mtime: 1, czxid: rand(4) ? 'a' : 'b', mzxid: 'b', pzxid: 'c', version: rand(4), cversion: rand(6), ephemeralOwner: '0' });
  let hidden = 0;
  for (let round = 0; round < 300; round++) {
    const deltas = Array.from({ length: rand(8) }, () => make[rand(make.length)]!());
    const seen = seenChangesIndex(deltas);
    for (const path of paths) {
      const change = { path, before: stat(), after: stat(), previous: m.mark(1), snapshot: m.mark(2) };
      const watched = rand(3);
      const expected = diffHiddenChanges(change, deltas, watched);
      if (expected) hidden++;
      assert.deepEqual(diffHiddenChanges(change, seen(path), watched), expected, path);
    }
  }
  assert.ok(hidden > 100);
});
