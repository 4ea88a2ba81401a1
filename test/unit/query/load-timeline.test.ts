import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadTimeline } from '../../../src/query/load-timeline.js';
import type { ClusterSpec } from '../../support/observation.js';
import { mark } from './marks.js';
import { down, storeOf } from './store-history.js';

const base: ClusterSpec = { leaves: { L1: ['h1', 'h2'], L2: ['h3'] } };

function lines(t: ReturnType<typeof loadTimeline>): string[] {
  return t.events.map((e) => `${e.at.after?.id ?? '-'}..${e.at.by.id} ${e.source} ${e.type === 'change' ? `${e.change.category} ${e.change.id}` : e.type}`);
}

test('every change in the window across sources, with source outages, in time order', () => {
  const db = storeOf([
    base,
    base,
    { ...base, offline: ['h3'], failed: { chairman: down } },
    { ...base, offline: ['h3'], missing: ['h3'], failed: { chairman: down } },
    { ...base, missing: ['h3'], services: { chairman: [] } },
    base,
  ]);
  const t = loadTimeline(db, { since: mark(2).startedAt, until: mark(5).startedAt });
  assert.deepEqual(lines(t), [
    '2..3 chairman source_unknown',
    '2..3 status status_changed h3',
    '3..4 zk.missing missing_added h3',
    '4..5 zk.services leader_changed chairman',
    '4..5 zk.services member_removed chairman/node-c1',
    '4..5 chairman source_recovered',
    '4..5 status status_changed h3',
  ]);
  assert.deepEqual(t.counts, { status_changed: 2, missing_added: 1, leader_changed: 1, member_removed: 1, source_unknown: 1, source_recovered: 1 });
});

test('--source limits the timeline to those sources', () => {
  const db = storeOf([base, { ...base, offline: ['h1'], missing: ['h1'] }]);
  assert.deepEqual(lines(loadTimeline(db, { since: mark(2).startedAt }, ['zk.missing'])), ['1..2 zk.missing missing_added h1']);
});

test("a source's first successful read is its initial state, not a change", () => {
  const db = storeOf([{ ...base, failed: { chairman: down } }, base, { ...base, offline: ['h2'] }]);
  assert.deepEqual(lines(loadTimeline(db, { since: 0 })), [
    '-..1 chairman source_unknown',
    '1..2 chairman source_recovered',
    '2..3 status status_changed h2',
  ]);
});

test('a window starting at the first snapshot still sees leader changes', () => {
  const db = storeOf([base, base, { ...base, services: { 'root-scheduler': [] } }, base]);
  const leaderLines = lines(loadTimeline(db, { since: 0 })).filter((l) => l.includes('leader_changed'));
  assert.deepEqual(leaderLines, ['2..3 zk.services leader_changed root-scheduler', '3..4 zk.services leader_changed root-scheduler']);
});
