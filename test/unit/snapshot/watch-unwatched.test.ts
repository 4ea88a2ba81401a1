// `run --no-watch`: every interval says it was not watched, recorded as one
// held version for as long as such ticks run, and told in the timeline.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UNWATCHED_KEY, watchRecordVersions, watchWrites } from '../../../src/snapshot/zk-watch-facts.js';
import { watchTimelineEvents } from '../../../src/query/watched-events.js';
import { SOURCES } from '../../../src/snapshot/source-name.js';

const interval = { events: [], gaps: [], dropped: 0, unwatched: '--no-watch' };
const held = `watch\u0000${UNWATCHED_KEY}`;

test('the unwatched key is written once, held while it holds, and ended by a tick without it', () => {
  const writes = watchWrites(interval);
  assert.deepEqual(writes, [{ kind: 'watch', entity: UNWATCHED_KEY, value: '{"reason":"--no-watch"}' }]);
  assert.deepEqual(watchRecordVersions(new Map(), writes), writes, 'first tick: written');
  const previous = new Map([[held, '{"reason":"--no-watch"}']]);
  assert.deepEqual(watchRecordVersions(previous, writes), [], 'later ticks: nothing');
  assert.deepEqual(watchRecordVersions(previous, []), [{ kind: 'watch', entity: UNWATCHED_KEY, value: null }], 'a tick without it ends it');
  assert.deepEqual(watchWrites({ events: [], gaps: [], dropped: 0 }), [], 'a watching quiet interval writes nothing');
});

test('the timeline tells where unwatched ticks began and where they ended', () => {
  const a = { id: 1, startedAt: 1000 };
  const b = { id: 5, startedAt: 5000 };
  const v = '{"reason":"--no-watch"}';
  const events = watchTimelineEvents(
    [
      { entity: UNWATCHED_KEY, value: v, by: a, after: null },
      { entity: UNWATCHED_KEY, value: null, before: v, by: b, after: { id: 4, startedAt: 4000 } },
    ],
    SOURCES,
  );
  assert.deepEqual(events.map((e) => e.type === 'not_watched' && [e.at.by.id, e.reason, e.ended]), [[1, '--no-watch', false], [5, '--no-watch', true]]);
});
