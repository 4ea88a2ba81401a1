// Which hidden changes make an episode say it may have flapped in between.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flapPathsOf, flapText, mayHaveFlapped } from '../../../src/query/episode-flaps.js';
import type { HiddenChangesEvent } from '../../../src/query/hidden-changes.js';

const mark = (id: number) => ({ id, startedAt: id * 1000 });
const hidden = (path: string, by: number, changes: number, seen = 0): HiddenChangesEvent => ({
  type: 'hidden_changes',
  at: { after: mark(by - 1), by: mark(by) },
  source: path.startsWith('/hosts') ? 'zk.hosts' : 'zk.missing',
  path,
  changes,
  seen,
  recreated: false,
});

test('hidden changes after the first sighting up to the end: counted, by node', () => {
  const h = [hidden('/missing/h1', 12, 2), hidden('/hosts/h1', 15, 3, 1), hidden('/missing/h2', 13, 2)];
  assert.deepEqual(mayHaveFlapped(h, ['/missing/h1', '/hosts/h1'], 10, 15), { changes: 4, paths: ['/missing/h1', '/hosts/h1'] });
});

test("the start's own collection (the write that started it) and what lies after the end say nothing", () => {
  const h = [hidden('/missing/h1', 10, 2), hidden('/missing/h1', 16, 2)];
  assert.equal(mayHaveFlapped(h, ['/missing/h1'], 10, 15), null);
});

test("another node's hidden changes say nothing about this episode", () => {
  assert.equal(mayHaveFlapped([hidden('/missing/h2', 12, 2)], ['/missing/h1'], 10, 15), null);
});

test('the nodes behind a host item: /missing and /hosts where it compares them; none for leaf and service items', () => {
  assert.deepEqual(flapPathsOf({ kind: 'missing_but_placed', ids: ['h1'], sources: ['zk.missing', 'zk.roles'] }), ['/missing/h1']);
  assert.deepEqual(flapPathsOf({ kind: 'registered_not_placed', ids: ['h1'], sources: ['zk.hosts', 'zk.roles'] }), ['/hosts/h1']);
  assert.deepEqual(flapPathsOf({ kind: 'service_no_leader', ids: ['chairman'], sources: ['zk.services'] }), []);
});

test('the phrase says "may", with the count', () => {
  assert.equal(flapText({ changes: 1, paths: ['/missing/h1'] }), 'may have flapped in between (1 change not seen)');
  assert.equal(flapText({ changes: 2, paths: ['/missing/h1'] }), 'may have flapped in between (2 changes not seen)');
});
