import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSnapshotRef } from '../../../src/util/snapshot-ref.js';
import { formatDuration, parseDuration, parseTime } from '../../../src/util/time.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');

test('durations', () => {
  assert.deepEqual(parseDuration('90d'), { ok: true, value: 90 * 86_400_000 });
  assert.deepEqual(parseDuration('1h30m'), { ok: true, value: 5_400_000 });
  assert.equal(parseDuration('5 parsecs').ok, false);
  assert.equal(parseDuration('0s').ok, false);
  assert.equal(parseDuration('').ok, false);
});

test('times: ISO with and without zone, relative, now', () => {
  assert.deepEqual(parseTime('2026-11-25T03:00Z', NOW), { ok: true, value: Date.parse('2026-11-25T03:00:00Z') });
  assert.deepEqual(parseTime('2026-11-25 03:00', NOW), { ok: true, value: Date.parse('2026-11-25T03:00:00Z') });
  assert.deepEqual(parseTime('2026-11-25T03:00:00+02:00', NOW), { ok: true, value: Date.parse('2026-11-25T01:00:00Z') });
  assert.deepEqual(parseTime('2026-11-25', NOW), { ok: true, value: Date.parse('2026-11-25T00:00:00Z') });
  assert.deepEqual(parseTime('2h ago', NOW), { ok: true, value: NOW - 7_200_000 });
  assert.deepEqual(parseTime('1h 30m ago', NOW), { ok: true, value: NOW - 5_400_000 });
  assert.deepEqual(parseTime('now', NOW), { ok: true, value: NOW });
  for (const bad of ['yesterday-ish', '2026-13-45T99:00', '25/11/2026', 'ago', '']) {
    assert.equal(parseTime(bad, NOW).ok, false, bad);
  }
});

test('snapshot references', () => {
  assert.deepEqual(parseSnapshotRef('42', NOW), { ok: true, value: { kind: 'id', id: 42 } });
  assert.deepEqual(parseSnapshotRef('#7', NOW), { ok: true, value: { kind: 'id', id: 7 } });
  assert.deepEqual(parseSnapshotRef('latest', NOW), { ok: true, value: { kind: 'latest', back: 0 } });
  assert.deepEqual(parseSnapshotRef('latest~3', NOW), { ok: true, value: { kind: 'latest', back: 3 } });
  assert.deepEqual(parseSnapshotRef('30m ago', NOW), { ok: true, value: { kind: 'time', at: NOW - 1_800_000 } });
  assert.equal(parseSnapshotRef('latest~x', NOW).ok, false);
  assert.equal(parseSnapshotRef('the big one', NOW).ok, false);
});

test('durations format compactly', () => {
  assert.equal(formatDuration(250), '250ms');
  assert.equal(formatDuration(65_000), '1m5s');
  assert.equal(formatDuration(90_061_000), '1d1h1m');
});
