// `missing --host` reads the daemon's watched record only in the intervals
// its episodes span (episodeSpans, load-host-watched.ts). On a history whose
// watched record times episodes' ends, whose Stats show hidden changes and
// whose gaps and drop counts fall inside and outside episodes, each host's
// episodes, their pages and their windows are exactly what the every-host
// answer (which reads the whole record) says of that host.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadMissing } from '../../../src/query/load-missing.js';
import { loadMissingPage } from '../../../src/query/load-missing-page.js';
import { episodeSpans, type MissingEpisode } from '../../../src/query/missing-episodes.js';
import { newestEpisodes } from '../../../src/query/missing-page.js';
import type { ZkStat } from '../../../src/model/zk-stat.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { writeSnapshot } from '../../../src/store/write-snapshot.js';
import { randomIncidents } from '../../support/random-incidents.js';
import { observation } from '../../support/observation.js';
import { sourceError } from '../../../src/model/source-error.js';
import { T0 } from '../../support/random-history.js';

const HOSTS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7'];

/**
 * The random incidents with, for h1, h3, h5 and h7, the Stat of /missing/<host>
 * while missing, moving by 1-3 writes a collection and now and then created
 * anew (hidden changes; starts timed by its ctime), and for h2, h4 and h6 the
 * watcher seeing each new /missing child created (starts timed by the watcher).
 */
function withChildStats(seed: number, snapshots: number) {
  const version = new Map<string, number>();
  const czxid = new Map<string, number>();
  let before = new Set<string>();
  return randomIncidents(seed, snapshots).map(({ obs, watch }, i) => {
    const missing = obs.missing.result.ok ? obs.missing.result.value : [];
    const stats: Record<string, ZkStat> = { ...obs.zkStats };
    const created = missing.filter((h) => !before.has(h) && h.charCodeAt(1) % 2 === 0);
    if (obs.missing.result.ok) before = new Set(missing);
    // zxids are hex (the incidents' own say 'p'): theirs first in the interval, then this one.
    const event = { kind: 'children', stat: { ...STAT, pzxid: (2 * i + 1).toString(16) }, arrivedAt: obs.startedAt - 10_000, added: created, removed: [] };
    const others = watch.filter((w) => w.entity !== '/missing');
    const parent = watch.find((w) => w.entity === '/missing');
    const theirs = parent?.value ? (JSON.parse(parent.value) as { events: { stat: ZkStat | null }[] }).events : [];
    const events = [...theirs.map((e) => (e.stat ? { ...e, stat: { ...e.stat, pzxid: (2 * i).toString(16) } } : e)), ...(created.length ? [event] : [])];
    const withCreated = events.length ? [...others, { kind: 'watch' as const, entity: '/missing', value: JSON.stringify({ events }) }] : others;
    // A stretch of ticks without a watcher (the held `unwatched` key), which windows below begin inside.
    if (i >= 100 && i < 130) withCreated.push({ kind: 'watch', entity: 'unwatched', value: JSON.stringify({ reason: 'started with --no-watch' }) });
    for (const h of missing.filter((x) => x.charCodeAt(1) % 2 === 1)) {
      version.set(h, (version.get(h) ?? 0) + 1 + ((i * 7 + h.charCodeAt(1)) % 3));
      if ((i + h.charCodeAt(1)) % 11 === 0) czxid.set(h, i);
      const at = obs.startedAt;
      stats[`/missing/${h}`] = { ctime: at - 30_000, mtime: at, czxid: `c${czxid.get(h) ?? 0}`, mzxid: `m${i}`, pzxid: 'p', version: version.get(h)!, cversion: 0, ephemeralOwner: '0' };
    }
    return { obs: { ...obs, zkStats: stats }, watch: withCreated };
  });
}

const STAT: ZkStat = { ctime: T0, mtime: T0, czxid: 'c', mzxid: 'm', pzxid: 'p', version: 0, cversion: 1, ephemeralOwner: '0' };
const db = openDatabase(':memory:');
for (const { obs, watch } of withChildStats(5, 240)) writeSnapshot(db, obs, watch);
const everyHost = loadMissing(db, {});
const episodesOf = (host: string): MissingEpisode[] => everyHost.missing.find((h) => h.host === host)?.episodes ?? [];

test('the fixture has what the watched record and the Stats tell of episodes', () => {
  const all = HOSTS.flatMap(episodesOf);
  assert.ok(all.length > 100, `${all.length} episodes`);
  assert.ok(all.filter((e) => e.start.exact?.record.startsWith('watched')).length > 5, 'starts timed by the watcher');
  assert.ok(all.filter((e) => e.endExact).length > 5, 'ends timed by the watcher');
  assert.ok(all.filter((e) => e.mayHaveFlapped).length > 5, 'hidden changes inside episodes');
  assert.ok(all.filter((e) => e.endBy && !e.endExact).length > 5, 'ends the watcher does not time (a gap or drop after them)');
});

for (const host of HOSTS) {
  test(`${host}: its episodes read alone are the every-host answer's`, () => {
    assert.deepEqual(loadMissing(db, { host }).missing[0]!.episodes, episodesOf(host));
  });

  test(`${host}: its pages and windows are the whole answer's cut`, () => {
    const full = loadMissing(db, { host });
    for (const n of [1, 3, 10]) assert.deepEqual(loadMissingPage(db, { host }, n), newestEpisodes(full, n), `--limit ${n}`);
    for (const [since, until] of [[60, 180], [105, 140], [129, 200]]) {
      const window = { since: T0 + since! * 60_000, until: T0 + until! * 60_000 };
      const inWindow = loadMissing(db, window).missing.find((h) => h.host === host)?.episodes ?? [];
      assert.deepEqual(loadMissing(db, { host, ...window }).missing[0]?.episodes ?? [], inWindow, `window ${since}..${until}`);
    }
  });
}

test('every host\'s page, read for the page\'s hosts alone, is the whole answer\'s', () => {
  for (const window of [{}, { since: T0 + 100 * 60_000 }, { since: T0 + 60 * 60_000, until: T0 + 180 * 60_000 }]) {
    for (const limit of [1, 5, 40]) assert.deepEqual(loadMissingPage(db, window, limit), newestEpisodes(loadMissing(db, window), limit), `${JSON.stringify(window)} --limit ${limit}`);
  }
});

/**
 * h1 goes missing at snapshot 2, is last seen at 4, /missing is unreadable at 5
 * and 6, and h1 is seen gone at 7. The daemon ran without a watcher at 5 (the
 * held `unwatched` key), and the record at 6 says h1's node was deleted: with
 * something unwatched inside (4, 7], that event cannot time the end.
 */
function endAfterUnwatched() {
  const db = openDatabase(':memory:');
  for (let i = 0; i < 9; i++) {
    const at = T0 + i * 60_000;
    const missing = i >= 1 && i <= 3 ? ['h1'] : [];
    const failed = i === 4 || i === 5 ? { missing: sourceError('timeout', 'missing timed out') } : undefined;
    const watch =
      i === 4
        ? [{ kind: 'watch' as const, entity: 'unwatched', value: JSON.stringify({ reason: 'started with --no-watch' }) }]
        : i === 5
          ? [{ kind: 'watch' as const, entity: '/missing', value: JSON.stringify({ events: [{ kind: 'children', stat: STAT, arrivedAt: at - 10_000, added: [], removed: ['h1'] }] }) }]
          : [];
    writeSnapshot(db, observation({ leaves: { L1: ['h1', 'h2'] }, at, missing, failed }), watch);
  }
  return db;
}

test('a stretch without a watcher inside an episode\'s end keeps it untimed, in a window that starts after it too', () => {
  const db = endAfterUnwatched();
  const [whole] = loadMissing(db, {}).missing[0]!.episodes;
  assert.deepEqual([whole!.start.by.id, whole!.lastSeen.id, whole!.endBy?.id], [2, 4, 7]);
  assert.equal(whole!.endExact, undefined, 'the whole history: not timed');
  // From snapshot 6 on: the episode is read from the read before its start, the `unwatched` version (5) with it.
  const windowed = loadMissing(db, { host: 'h1', since: T0 + 5 * 60_000 });
  assert.equal(windowed.window.first.id, 6);
  assert.deepEqual(windowed.missing[0]!.episodes, [whole]);
});

test('spans run from the read before each start to the read that saw it end, merged where they meet', () => {
  const m = (id: number) => ({ id, startedAt: id });
  const episode = (after: number | null, by: number, lastSeen: number, endBy: number | null) =>
    ({ start: { after: after === null ? null : m(after), by: m(by) }, lastSeen: m(lastSeen), endBy: endBy === null ? null : m(endBy) }) as MissingEpisode;
  assert.deepEqual(
    episodeSpans([episode(40, 42, 45, 46), episode(null, 1, 3, 5), episode(5, 6, 6, 8), episode(46, 47, 50, null), episode(20, 21, 22, 23)]),
    [
      { after: 0, to: 8 },
      { after: 20, to: 23 },
      { after: 40, to: 50 },
    ],
  );
  assert.deepEqual(episodeSpans([]), []);
});
