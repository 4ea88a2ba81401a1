// Deletions timed by the watcher: the last event of the child in the range,
// named as an arrival on treesnap's clock, and never across a gap after it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WatchTimelineEvent } from '../../../src/query/watched-events.js';
import { childNodeOf, watchedChildTime } from '../../../src/query/watched-times.js';

const m = (id: number) => ({ id, startedAt: id * 1000 });
const children = (by: number, at: number, added: string[], removed: string[]): WatchTimelineEvent => ({
  type: 'watched',
  at: { after: m(by - 1), by: m(by) },
  source: 'zk.missing',
  path: '/missing',
  kind: 'children',
  added,
  removed,
  zxid: '1',
  time: { at, origin: 'arrival', record: '' },
});
const gap = (by: number, from: number, to: number | null): WatchTimelineEvent => ({ type: 'watch_gap', at: { after: m(by - 1), by: m(by) }, source: 'zk.watch', from, to, reason: 'disconnected' });
const h6 = { parent: '/missing', name: 'h6' };

test('which node a fact change creates or deletes', () => {
  assert.deepEqual(childNodeOf({ source: 'zk.missing', kind: 'missing', entity: 'h6', before: {}, after: null }), h6);
  assert.deepEqual(childNodeOf({ source: 'zk.services', kind: 'member', entity: 'chairman/m-7', before: {}, after: null }), { parent: '/services/chairman', name: 'm-7' });
  assert.deepEqual(childNodeOf({ source: 'zk.roles', kind: 'leaf', entity: 'L1', before: { owner: 'h1', address: null }, after: null }), { parent: '/roles', name: 'h1' });
  assert.equal(childNodeOf({ source: 'zk.roles', kind: 'placement', entity: 'h1', before: { leaf: 'L1' }, after: null }), null);
  assert.equal(childNodeOf({ source: 'status', kind: 'status', entity: 'h1', before: {}, after: null }), null);
});

test("a deletion the watcher saw: its event's arrival, named so", () => {
  const t = watchedChildTime([children(3, 2500, [], ['h6'])], h6, false, m(2), m(3));
  assert.deepEqual(t, { at: 2500, record: "watched: /missing/h6 deleted, children event of /missing arrived (treesnap's clock)", origin: 'arrival' });
  assert.equal(watchedChildTime([children(3, 2500, [], ['h6'])], h6, true, m(2), m(3)), null, 'a deletion is not a creation');
  assert.equal(watchedChildTime([children(3, 2500, [], ['h7'])], h6, false, m(2), m(3)), null, 'another child');
  assert.equal(watchedChildTime([children(5, 4500, [], ['h6'])], h6, false, m(2), m(3)), null, 'outside the range');
});

test('only the last event of the child counts, and only with nothing unwatched after it', () => {
  const twice = [children(3, 2200, [], ['h6']), children(4, 3200, ['h6'], []), children(5, 4200, [], ['h6'])];
  assert.equal(watchedChildTime(twice, h6, false, m(2), m(5))?.at, 4200);
  assert.equal(watchedChildTime(twice.slice(0, 2), h6, false, m(2), m(4)), null, 'created again after');
  assert.equal(watchedChildTime([children(3, 2500, [], ['h6']), gap(4, 3100, 3300)], h6, false, m(2), m(4)), null, 'a gap after it');
  assert.equal(watchedChildTime([children(3, 2500, [], ['h6']), gap(3, 2600, null)], h6, false, m(2), m(3)), null, 'a gap still open');
  assert.equal(watchedChildTime([gap(3, 2000, 2100), children(3, 2500, [], ['h6'])], h6, false, m(2), m(3))?.at, 2500, 'a gap before it is no matter');
});
