// `missing --limit N` keeps the newest N episodes across hosts and counts the
// older ones: the page must be exactly the whole answer's newest episodes, on
// a random history where hosts flap on both sides of the cut.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadMissing } from '../../../src/query/load-missing.js';
import { loadMissingPage } from '../../../src/query/load-missing-page.js';
import { newestEpisodes } from '../../../src/query/missing-page.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { T0, writeHistory, type Write } from '../../support/random-history.js';

/** Four hosts flapping in /missing with periods 3, 5, 7 and 11 snapshots, their probes every 4, over 200 snapshots. */
function flapping(): Write[][] {
  const status = (i: number, h: number) => JSON.stringify({ address: null, message: null, status: (i + h) % 8 < 4 ? 'ONLINE' : 'OFFLINE' });
  return Array.from({ length: 200 }, (_, i) =>
    [3, 5, 7, 11].flatMap((period, h): Write[] => [
      ...(i % period === 0 ? [{ source: 'zk.missing' as const, kind: 'missing' as const, entity: `h${h}`, value: (i / period) % 2 === 0 ? 'true' : null }] : []),
      ...(i % 4 === 0 ? [{ source: 'status' as const, kind: 'status' as const, entity: `h${h}`, value: status(i, h) }] : []),
    ]),
  );
}

const db = openDatabase(':memory:');
writeHistory(db, flapping());
const full = loadMissing(db, {});
const key = (host: string, e: { start: { by: { id: number } } }) => `${e.start.by.id} ${host}`;
const all = full.missing.flatMap((h) => h.episodes.map((e) => key(h.host, e)));

test('the fixture has enough episodes over several hosts to cut', () => {
  assert.ok(full.episodes > 20 && full.hosts > 3, `${full.episodes} episodes over ${full.hosts} hosts`);
});

for (const limit of [1, 7, 20]) {
  test(`--limit ${limit}: the newest ${limit} episodes of the whole answer, and the count of the rest`, () => {
    const page = newestEpisodes(full, limit);
    const kept = page.missing.flatMap((h) => h.episodes.map((e) => key(h.host, e)));
    assert.equal(kept.length, limit);
    assert.equal(page.episodes, limit);
    assert.equal(page.olderEpisodes, full.episodes - limit);
    const cut = Math.min(...page.missing.flatMap((h) => h.episodes.map((e) => e.start.by.id)));
    assert.ok(all.filter((k) => Number(k.split(' ')[0]) > cut).every((k) => kept.includes(k)), 'nothing newer than the cut is left out');
    assert.ok(kept.every((k) => all.includes(k)), 'every kept episode is one of the whole answer');
    assert.equal(page.hosts, page.missing.length);
    assert.ok(page.missing.every((h) => h.episodes.length > 0));
  });
}

test('read as a page (only its hosts, from its oldest start on), it is the whole answer\'s page, ties at the cut included', () => {
  const starts = full.missing.flatMap((h) => h.episodes.map((e) => e.start.by.id));
  const tied = [1, 7, 20, 33].filter((limit) => {
    const cut = [...starts].sort((a, b) => b - a)[limit - 1]!;
    return starts.filter((s) => s === cut).length > 1;
  });
  assert.ok(tied.length > 0, 'some limit cuts through episodes that start together');
  for (const window of [{}, { since: T0 + 40 * 60_000 }, { since: T0 + 20 * 60_000, until: T0 + 120 * 60_000 }, { until: T0 + 150 * 60_000 }]) {
    for (const limit of [1, 7, 20, 33, 1000]) {
      assert.deepEqual(loadMissingPage(db, window, limit), newestEpisodes(loadMissing(db, window), limit), `${JSON.stringify(window)} --limit ${limit}`);
    }
  }
});

/**
 * Hosts flapping for 100 snapshots, then 150 with no /missing change but one
 * host's listing rewritten while it stays listed (a value replaced by another
 * opens no episode) and listed again later. A page read back from the end must
 * widen past the quiet stretch, and count only the versions that open an episode.
 */
function quietTail(): Write[][] {
  return flapping().map((writes, i) => {
    const kept = i < 100 ? writes : writes.filter((w) => w.source !== 'zk.missing');
    const h9 = i === 10 ? 'true' : i === 40 || i === 120 ? '"rewritten"' : i === 60 ? null : i === 180 ? 'true' : undefined;
    return h9 === undefined ? kept : [...kept, { source: 'zk.missing' as const, kind: 'missing' as const, entity: 'h9', value: h9 }];
  });
}

test('read back from the end past a quiet stretch, and counting only what opens an episode, a page is the whole answer\'s', () => {
  const quiet = openDatabase(':memory:');
  writeHistory(quiet, quietTail());
  const whole = loadMissing(quiet, {});
  const h9 = whole.missing.find((h) => h.host === 'h9')!;
  assert.deepEqual(h9.episodes.map((e) => e.start.by.id), [11, 121], 'h9: two episodes, its rewrites open none');
  for (const window of [{}, { until: T0 + 150 * 60_000 }, { until: T0 + 30 * 60_000 }]) {
    for (const limit of [1, 2, 5, 30]) {
      assert.deepEqual(loadMissingPage(quiet, window, limit), newestEpisodes(loadMissing(quiet, window), limit), `${JSON.stringify(window)} --limit ${limit}`);
    }
  }
});

test('0, no limit, or a limit past the end: everything', () => {
  assert.deepEqual(newestEpisodes(full, 0), full);
  assert.deepEqual(newestEpisodes(full, undefined), full);
  assert.deepEqual(newestEpisodes(full, full.episodes + 1), { ...full, olderEpisodes: 0 });
});

test('--since reads from the window on, and answers what the whole history says of the window', () => {
  for (const minute of [1, 17, 90, 150, 199]) {
    const since = T0 + minute * 60_000;
    const windowed = loadMissing(db, { since });
    const first = windowed.window.first.id;
    const overlapping = (e: { start: { by: { id: number } }; endBy: { id: number } | null }) => e.endBy === null || e.endBy.id > first;
    const expected = full.missing.map((h) => ({ ...h, episodes: h.episodes.filter(overlapping) })).filter((h) => h.episodes.length);
    const byHost = (hs: readonly { host: string; episodes: unknown[] }[]) => new Map(hs.map((h) => [h.host, h.episodes]));
    assert.ok(expected.length > 0);
    assert.deepEqual(
      byHost(windowed.missing),
      byHost(expected),
      `since minute ${minute}`,
    );
  }
});
