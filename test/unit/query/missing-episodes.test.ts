import assert from 'node:assert/strict';
import { test } from 'node:test';
import { missingEpisodes, probeRuns, type MissingVersion } from '../../../src/query/missing-episodes.js';
import { mark, STEP_MS } from './marks.js';

const v = (id: number, present: boolean, previousOk: number | null): MissingVersion => ({
  snapshot: mark(id),
  present,
  previousOk: previousOk === null ? null : mark(previousOk),
});

test('an episode opens and closes between the reads around each edge, across a failed /missing read', () => {
  // /missing read OK at 2, saw h1 at 3, read failed at 6, saw it gone at 7.
  const eps = missingEpisodes('h1', [v(3, true, 2), v(7, false, 5)], mark(9));
  assert.deepEqual(eps, [
    {
      host: 'h1',
      start: { after: mark(2), by: mark(3) },
      lastSeen: mark(5),
      endBy: mark(7),
      duration: { minMs: 2 * STEP_MS, maxMs: 5 * STEP_MS },
      probes: [{ status: null, from: mark(3) }],
      answeredProbe: false,
    },
  ]);
});

test('a start seen only after failed reads keeps the last good read as its lower bound', () => {
  const [e] = missingEpisodes('h1', [v(5, true, 2)], mark(8));
  assert.deepEqual(e!.start, { after: mark(2), by: mark(5) });
  assert.equal(e!.endBy, null, 'still missing');
  assert.deepEqual(e!.lastSeen, mark(8), 'as of the latest successful read');
  assert.deepEqual(e!.duration, { minMs: 3 * STEP_MS, maxMs: null });
});

test('missing since the first snapshot: no lower bound', () => {
  const [e] = missingEpisodes('h1', [v(1, true, null)], mark(1));
  assert.deepEqual(e!.start, { after: null, by: mark(1) });
  assert.deepEqual(e!.lastSeen, mark(1));
});

test('flapping: one episode per appearance', () => {
  const eps = missingEpisodes('h1', [v(2, true, 1), v(3, false, 2), v(5, true, 4), v(6, false, 5), v(8, true, 7)], mark(10));
  assert.deepEqual(
    eps.map((e) => [e.start.after?.id, e.start.by.id, e.lastSeen.id, e.endBy?.id ?? 'open']),
    [
      [1, 2, 2, 3],
      [4, 5, 5, 6],
      [7, 8, 10, 'open'],
    ],
  );
});

test('what the probes said while the host was listed missing', () => {
  const status = [
    { snapshot: mark(1), status: 'ONLINE' as const },
    { snapshot: mark(4), status: 'OFFLINE' as const },
    { snapshot: mark(6), status: 'ONLINE' as const },
  ];
  const [e] = missingEpisodes('h1', [v(3, true, 2), v(6, false, 5)], mark(9), status);
  assert.deepEqual(e!.probes, [
    { status: 'ONLINE', from: mark(3) },
    { status: 'OFFLINE', from: mark(4) },
  ]);
  assert.equal(e!.answeredProbe, true);
  assert.deepEqual(probeRuns(status, mark(4), mark(5)), [{ status: 'OFFLINE', from: mark(4) }]);
});
