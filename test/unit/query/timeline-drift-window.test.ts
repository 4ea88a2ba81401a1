// `timeline --since/--until` and `drift --since/--until` read only their
// window (its versions, and the Stats recorded in it): each must answer what
// filtering the whole history's answer to the window gives, on a history with
// changes, Stats and drift on both sides of the window.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadDriftHistory } from '../../../src/query/load-drift-history.js';
import { loadTimeline } from '../../../src/query/load-timeline.js';
import { recordDrift } from '../../../src/record/record-drift.js';
import { SOURCES } from '../../../src/snapshot/source-name.js';
import { openDatabase, type Db } from '../../../src/store/open-database.js';
import type { VersionWrite } from '../../../src/snapshot/plan-versions.js';
import { writeSnapshotDelta } from '../../../src/store/write-snapshot-delta.js';
import { withWriteTransaction } from '../../../src/store/write-transaction.js';
import { randomHistory, T0, type Write } from '../../support/random-history.js';

const minute = (n: number) => T0 + n * 60_000;

/** The random history written a minute apart, each /missing and /hosts node's Stat recorded with its change (as a collection records it), so changes have exact times. */
function writeWithStats(db: Db, history: Write[][]): void {
  let zxid = 0;
  withWriteTransaction(db, () => {
    for (const [i, writes] of history.entries()) {
      const records: VersionWrite[] = [];
      for (const w of writes) {
        const path = w.source === 'zk.missing' ? `/missing/${w.entity}` : w.source === 'zk.hosts' ? `/hosts/${w.entity}` : null;
        if (!path || w.value === null) continue;
        const at = minute(i) - 20_000 + (i % 7) * 1000;
        const id = (++zxid).toString(16);
        records.push({ kind: 'stat', entity: path, value: JSON.stringify({ ctime: at, mtime: at, czxid: id, mzxid: id, pzxid: id, version: 0, cversion: 0, ephemeralOwner: '0' }) });
      }
      const outcomes = SOURCES.map((source) => ({ source, ok: true as const, durationMs: 1 }));
      writeSnapshotDelta(db, { startedAt: minute(i), finishedAt: minute(i) + 1, outcomes, writes, records });
    }
  });
}

/** Timelines and drift read live (no record) and from the drift record. */
const live = openDatabase(':memory:');
writeWithStats(live, randomHistory(23, 400, 12));
const recorded = openDatabase(':memory:');
writeWithStats(recorded, randomHistory(23, 400, 12));
assert.ok(recordDrift(recorded) > 0);

const WINDOWS = [
  { since: minute(37), until: minute(250) },
  { since: minute(200) },
  { since: minute(120), until: minute(121) },
  { since: minute(1), until: minute(390) },
];

test('timeline: a window\'s events are the whole history\'s events seen in the window', () => {
  const full = loadTimeline(live, {});
  assert.ok(full.events.some((e) => 'change' in e && (e as { at: { exact?: unknown } }).at.exact), 'events timed by a Stat');
  for (const window of WINDOWS) {
    const w = loadTimeline(live, window);
    const { first, last } = w.window;
    const inWindow = full.events.filter((e) => e.at.by.id >= first.id && e.at.by.id <= last.id);
    assert.ok(window.since === minute(1) || full.events.some((e) => e.at.by.id < first.id), 'events before the window');
    assert.ok(window.until === undefined || full.events.some((e) => e.at.by.id > last.id), 'events after the window');
    assert.ok(inWindow.length > 0 || window.until === minute(121));
    assert.deepEqual(w.events, inWindow, JSON.stringify(window));
    assert.equal(w.total, inWindow.length);
  }
});

for (const [name, db] of [['live', live], ['recorded', recorded]] as const) {
  test(`drift --since (${name}): a window's episodes are those of the history up to its end that overlap it`, () => {
    for (const window of WINDOWS) {
      const w = loadDriftHistory(db, window);
      const { first, last } = w.window;
      // The history up to the window's end, so an episode open there is open in both.
      const full = loadDriftHistory(db, { until: last.startedAt });
      const overlapping = full.episodes.filter((e) => e.start.by.id <= last.id && (e.endBy === null || e.endBy.id > first.id));
      assert.ok(window.since === minute(1) || full.episodes.some((e) => e.endBy && e.endBy.id <= first.id), 'episodes ended before the window');
      // Those that began inside the window, whole; those holding at its start, the same items ending alike.
      const began = (e: { start: { by: { id: number } } }) => e.start.by.id > first.id;
      assert.deepEqual(w.episodes.filter(began), overlapping.filter(began), JSON.stringify(window));
      // (in item order: the whole answer lists them by their earlier starts)
      const held = (list: typeof w.episodes) =>
        list
          .filter((e) => !began(e))
          .map((e) => JSON.stringify({ kind: e.kind, ids: e.ids, lastSeen: e.lastSeen, endBy: e.endBy }))
          .sort();
      assert.deepEqual(held(w.episodes), held(overlapping), `held at the start: ${JSON.stringify(window)}`);
      assert.ok(w.episodes.length > 0 || window.until === minute(121));
    }
  });
}
