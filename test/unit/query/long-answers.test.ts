// Answers longer than a call's argument list: 11 months of the bench's
// history (~172,000 events in one window) made `timeline` exit with
// "Maximum call stack size exceeded", since its lines were appended as
// push(...lines); `snapshots --limit 0` of 525,600 snapshots did the same in
// Math.max(...widths). Each renderer and merge step here gets more items than V8
// takes as arguments.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderTimelineText } from '../../../src/cli/render/history-text.js';
import { renderTable } from '../../../src/cli/render/table.js';
import { renderDriftHistoryText } from '../../../src/present/drift-text.js';
import { mergeWatched, type TimelineEvent } from '../../../src/query/timeline.js';
import { pushAll } from '../../../src/util/push-all.js';
import { mark } from './marks.js';

const N = 300_000;

function change(i: number, exactAt?: number): TimelineEvent {
  return {
    type: 'change',
    at: { after: mark(1), by: mark(2), ...(exactAt === undefined ? {} : { exact: { at: exactAt, record: `ctime of /missing/h${i}` } }) },
    source: 'zk.missing',
    change: { category: 'missing_added', id: `h${i}`, before: false, after: true },
  };
}

test('pushAll appends more items than push(...items) can take', () => {
  const items = Array.from({ length: N }, (_, i) => i);
  assert.throws(() => [].push(...(items as never[])), RangeError);
  const into = [-1];
  assert.equal(pushAll(into, items), into);
  assert.equal(into.length, N + 1);
  assert.equal(into[N], N - 1);
});

test('a timeline of 300,000 events renders one line per event', () => {
  const events = Array.from({ length: N }, (_, i) => change(i));
  const lines = renderTimelineText({ window: { first: mark(1), last: mark(2) }, sources: ['zk.missing'], total: N, counts: { missing_added: N }, events }).split('\n');
  assert.equal(lines.length, N + 2);
  assert.match(lines[N + 1]!, /h299999/);
});

test('300,000 changes with exact times in one interval keep their order by time when merged with the watched record', () => {
  const events = Array.from({ length: N }, (_, i) => change(i, mark(1).startedAt + (N - i)));
  const merged = mergeWatched(events, []);
  assert.equal(merged.length, N);
  assert.equal(merged[0]!.type === 'change' && merged[0]!.change.id, `h${N - 1}`);
});

test('a drift history of 300,000 episodes renders every one', () => {
  const episodes = Array.from({ length: N }, (_, i) => ({
    kind: 'missing_but_placed' as const,
    ids: [`h${i}`],
    start: { after: mark(1), by: mark(2) },
    end: null,
    lastSeen: mark(3),
    duration: { minMs: 0, maxMs: null },
    sides: {},
  }));
  const text = renderDriftHistoryText({ window: { first: mark(1), last: mark(3) }, sources: {}, episodes, total: N, open: N, counts: {} } as never);
  assert.equal(text.split('\n').filter((l) => /^ {2}h\d+ /.test(l)).length, N);
});

test('a table of 300,000 rows (snapshots --limit 0 of a long history) is aligned on its widest cell', () => {
  const rows = Array.from({ length: N }, (_, i) => [`#${i}`, i === N - 1 ? 'widest cell' : 'x']);
  const lines = renderTable(['id', 'v'], rows, ['right']).split('\n');
  assert.equal(lines.length, N + 2);
  assert.equal(lines[1], `${'-'.repeat(7)}  ${'-'.repeat(11)}`);
  assert.equal(lines[2], '     #0  x');
});
