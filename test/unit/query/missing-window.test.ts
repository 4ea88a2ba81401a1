// `missing --host` with a window or --limit reads only what the answer needs
// (the window's versions; for --limit, the newest episodes' from the oldest
// of them on): each must answer exactly what filtering the whole history's
// answer gives, on a history with episodes on both sides of the window.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadHostHistory, loadHostHistoryPage } from '../../../src/query/load-host-history.js';
import { loadMissing } from '../../../src/query/load-missing.js';
import { loadMissingPage } from '../../../src/query/load-missing-page.js';
import { newestEpisodes } from '../../../src/query/missing-page.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { randomHistory, T0, type Write, writeHistory } from '../../support/random-history.js';

// /missing flaps on its own rhythm per host (a few snapshots in, a few out,
// varied by an xorshift), over the random history's probes and registrations.
function withFlaps(history: Write[][], hosts: readonly string[]): Write[][] {
  let x = 2463534242;
  const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>>= 0));
  const until = new Map(hosts.map((h) => [h, 0]));
  const present = new Set<string>();
  return history.map((writes, i) => {
    const out = writes.filter((w) => w.source !== 'zk.missing');
    for (const h of hosts) {
      if (i < until.get(h)!) continue;
      until.set(h, i + 1 + (next() % 9));
      if (present.has(h)) present.delete(h);
      else present.add(h);
      out.push({ source: 'zk.missing', kind: 'missing', entity: h, value: present.has(h) ? 'true' : null });
    }
    return out;
  });
}

const db = openDatabase(':memory:');
writeHistory(db, withFlaps(randomHistory(17, 400, 12), ['h0', 'h3', 'h7', 'h11']));
const minute = (n: number) => T0 + n * 60_000;

for (const host of ['h0', 'h3', 'h7', 'h11']) {
  test(`${host}: a window's episodes are the whole answer's overlapping it`, () => {
    const full = loadMissing(db, { host });
    assert.ok(full.episodes > 10, 'a flapping host');
    for (const [since, until] of [[minute(1), undefined], [minute(37), minute(250)], [minute(200), undefined], [minute(120), minute(121)]]) {
      const w = loadMissing(db, { host, since, ...(until ? { until } : {}) });
      const { first, last } = w.window;
      const overlapping = full.missing[0]!.episodes.filter((e) => e.start.by.id <= last.id && (e.endBy === null || e.endBy.id > first.id));
      assert.ok(since === minute(1) || full.missing[0]!.episodes.some((e) => e.endBy && e.endBy.id <= first.id), 'episodes before the window');
      // An episode still open at the window's end is open as of the window (its end and duration are the window's).
      const asOfEnd = until === undefined ? overlapping : loadMissing(db, { host, until }).missing[0]!.episodes.filter((e) => e.endBy === null || e.endBy.id > first.id);
      assert.deepEqual(w.missing[0]?.episodes ?? [], asOfEnd, `since ${since}`);
    }
  });

  test(`${host}: --limit reads the newest episodes and counts the rest, as the whole answer cut`, () => {
    for (const window of [{}, { since: minute(100) }, { since: minute(50), until: minute(300) }]) {
      const full = loadMissing(db, { host, ...window });
      assert.ok(full.episodes > 5, 'older episodes than the page');
      for (const n of [1, 2, 5, full.episodes - 1, full.episodes, full.episodes + 5].filter((n) => n > 0)) {
        assert.deepEqual(loadMissingPage(db, { host, ...window }, n), newestEpisodes(full, n), `${JSON.stringify(window)} --limit ${n}`);
      }
    }
  });

  test(`${host}: history --limit's episodes are those from the page's oldest change on`, () => {
    const full = loadHostHistory(db, host);
    for (const n of [1, 5, 20]) {
      const page = loadHostHistoryPage(db, host, {}, n);
      assert.ok(page.olderEvents! > 0);
      const from = page.events[0]!.at.by.id;
      const holding = full.missingEpisodes.filter((e) => e.endBy === null || e.endBy.id > from);
      assert.ok(holding.length < full.missingEpisodes.length, 'episodes before the page');
      assert.deepEqual(page.missingEpisodes, holding, `--limit ${n}`);
    }
  });
}
