// `history --since` reads from each key's version at the window's start, and
// `--limit` keeps the newest events: both must answer exactly what filtering
// the whole history's answer gives, on a history with changes on both sides.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newestEvents } from '../../../src/query/newest-page.js';
import { loadHostHistory, loadHostHistoryPage } from '../../../src/query/load-host-history.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { randomHistory, T0, writeHistory } from '../../support/random-history.js';

const db = openDatabase(':memory:');
writeHistory(db, randomHistory(11, 400, 12));

for (const host of ['h0', 'h3', 'h7', 'h11']) {
  test(`${host}: a window's answer is the whole answer filtered to the window`, () => {
    const full = loadHostHistory(db, host);
    for (const minute of [1, 37, 200, 399]) {
      const since = T0 + minute * 60_000;
      const windowed = loadHostHistory(db, host, { since });
      assert.ok(full.events.some((e) => e.at.by.startedAt < since) || minute === 1, 'changes before the window exist');
      assert.deepEqual(windowed.events, full.events.filter((e) => e.at.by.id >= windowed.window.first.id), `since minute ${minute}`);
      assert.deepEqual(windowed.missingEpisodes, full.missingEpisodes.filter((e) => e.endBy === null || e.endBy.id > windowed.window.first.id));
    }
  });

  test(`${host}: --limit keeps the newest events and counts the rest`, () => {
    const full = loadHostHistory(db, host);
    assert.ok(full.events.length > 10);
    const page = newestEvents(full, 10);
    assert.deepEqual(page.events, full.events.slice(-10));
    assert.equal(page.olderEvents, full.events.length - 10);
    assert.deepEqual(newestEvents(full, 0), full);
    assert.deepEqual(newestEvents(full, full.events.length + 5).events, full.events);
  });

  test(`${host}: --limit reads from its oldest event on and answers the whole answer's newest events`, () => {
    for (const window of [{}, { since: T0 + 100 * 60_000 }, { since: T0 + 50 * 60_000, until: T0 + 300 * 60_000 }]) {
      const full = loadHostHistory(db, host, window);
      assert.ok(full.events.length > 10);
      for (const n of [1, 3, 10, full.events.length - 1, full.events.length, full.events.length + 5]) {
        const page = loadHostHistoryPage(db, host, window, n);
        const cut = newestEvents(full, n);
        assert.deepEqual(page.events, cut.events, `${JSON.stringify(window)} --limit ${n}`);
        assert.equal(page.olderEvents, cut.olderEvents);
        assert.deepEqual(page.window, cut.window);
        // The page's episodes: those still holding at its oldest change or later.
        const from = page.olderEvents ? page.events[0]!.at.by.id : page.window.first.id;
        assert.deepEqual(page.missingEpisodes, full.missingEpisodes.filter((e) => e.endBy === null || e.endBy.id > from));
      }
      assert.deepEqual(loadHostHistoryPage(db, host, window, 0), full);
    }
  });
}
