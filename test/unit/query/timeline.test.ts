import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { VersionRecord } from '../../../src/query/change-event.js';
import { leaderEvents, sourceEvents, timeline, type OutcomeRecord } from '../../../src/query/timeline.js';
import { mark } from './marks.js';

const ep = (port: number) => ({ host: '127.0.0.1', port });
const ver = (id: number, r: Omit<VersionRecord, 'snapshot' | 'previousOk'>): VersionRecord => ({ ...r, snapshot: mark(id), previousOk: mark(id - 1) });

test('a run of failed reads is one "unknown" event and its end one "recovered" event', () => {
  const err = { kind: 'unreachable', message: 'ECONNREFUSED' };
  const outcomes: OutcomeRecord[] = [
    { snapshot: mark(4), source: 'chairman', ok: false, error: err, before: mark(3) },
    { snapshot: mark(5), source: 'chairman', ok: false, error: err, before: mark(3) },
    { snapshot: mark(6), source: 'chairman', ok: true, error: null, before: mark(5) },
  ];
  assert.deepEqual(sourceEvents(outcomes), [
    { type: 'source_unknown', at: { after: mark(3), by: mark(4) }, source: 'chairman', error: err },
    { type: 'source_recovered', at: { after: mark(5), by: mark(6) }, source: 'chairman', error: null },
  ]);
});

test('leader changes are derived from member changes applied to the members at the window start', () => {
  const start = new Map([['chairman/c1', { address: ep(1), error: null }]]);
  const versions = [
    ver(3, { source: 'zk.services', kind: 'member', entity: 'chairman/c2', before: null, after: { address: ep(2), error: null } }),
    ver(4, { source: 'zk.services', kind: 'member', entity: 'chairman/c1', before: { address: ep(1), error: null }, after: null }),
  ];
  assert.deepEqual(
    leaderEvents(start, versions).map((e) => [e.at.by.id, e.change]),
    [
      [3, { category: 'leader_changed', id: 'chairman', before: ep(1), after: null }],
      [4, { category: 'leader_changed', id: 'chairman', before: null, after: ep(2) }],
    ],
  );
});

test('the timeline merges changes and source events in time order, and counts them', () => {
  const t = timeline(
    [
      ver(2, { source: 'status', kind: 'status', entity: 'h1', before: { status: 'ONLINE', address: ep(1), message: null }, after: { status: 'OFFLINE', address: ep(1), message: null } }),
      ver(3, { source: 'zk.missing', kind: 'missing', entity: 'h1', before: null, after: true }),
    ],
    [{ snapshot: mark(3), source: 'chairman', ok: false, error: { kind: 'timeout', message: 't' }, before: mark(2) }],
    new Map(),
  );
  assert.deepEqual(
    t.events.map((e) => `${e.at.by.id} ${e.source} ${e.type === 'change' ? e.change.category : e.type}`),
    ['2 status status_changed', '3 zk.missing missing_added', '3 chairman source_unknown'],
  );
  assert.deepEqual(t.counts, { status_changed: 1, missing_added: 1, source_unknown: 1 });
  assert.equal(t.total, 3);
});
