import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NotFoundError } from '../../../src/errors.js';
import { loadMissing } from '../../../src/query/load-missing.js';
import type { ClusterSpec } from '../../support/observation.js';
import { mark, STEP_MS } from './marks.js';
import { down, storeOf } from './store-history.js';

const base: ClusterSpec = { leaves: { L1: ['h1', 'h2'], L2: ['h3', 'h4'] } };
const gone = (missing: string[], extra: Partial<ClusterSpec> = {}): ClusterSpec => ({ ...base, missing, ...extra });

test('an episode across a failed /missing read is bounded by the successful reads', () => {
  // #1 ok, #2 ok, #3 h3 missing (offline), #4 /missing unreadable, #5 still missing, #6 unreadable, #7 gone.
  const db = storeOf([
    base,
    base,
    gone(['h3'], { offline: ['h3'] }),
    gone([], { failed: { missing: down }, offline: ['h3'] }),
    gone(['h3']),
    gone([], { failed: { missing: down } }),
    base,
  ]);
  const r = loadMissing(db, { host: 'h3' });
  assert.deepEqual(r.missing, [
    {
      host: 'h3',
      stillMissing: false,
      episodes: [
        {
          host: 'h3',
          start: { after: mark(2), by: mark(3) },
          lastSeen: mark(5),
          endBy: mark(7),
          duration: { minMs: 2 * STEP_MS, maxMs: 5 * STEP_MS },
          probes: [
            { status: 'OFFLINE', from: mark(3) },
            { status: 'ONLINE', from: mark(5) },
          ],
          answeredProbe: true,
        },
      ],
    },
  ]);
  assert.equal(r.unknownAtEnd, false);
});

test('still missing at the end, as of the last successful read; flapping hosts have several episodes', () => {
  const db = storeOf([base, gone(['h1']), base, gone(['h1', 'h2']), gone(['h1', 'h2'], { failed: { missing: down } })]);
  const r = loadMissing(db, {});
  assert.deepEqual(
    r.missing.map((h) => [h.host, h.stillMissing, h.episodes.map((e) => [e.start.after?.id, e.start.by.id, e.lastSeen.id, e.endBy?.id ?? 'open'])]),
    [
      ['h1', true, [[1, 2, 2, 3], [3, 4, 4, 'open']]],
      ['h2', true, [[3, 4, 4, 'open']]],
    ],
  );
  assert.deepEqual(r.lastRead, mark(4));
  assert.equal(r.unknownAtEnd, true);
  assert.deepEqual([r.hosts, r.episodes, r.stillMissing], [2, 3, 2]);
});

test('the window keeps episodes overlapping it, seen as of its end', () => {
  const db = storeOf([base, gone(['h1']), base, base, gone(['h2']), base]);
  const r = loadMissing(db, { since: mark(3).startedAt, until: mark(5).startedAt });
  assert.deepEqual(
    r.missing.map((h) => [h.host, h.episodes.map((e) => [e.start.by.id, e.endBy?.id ?? 'open'])]),
    [['h2', [[5, 'open']]]],
  );
});

test('a host never recorded is "not found", not "never missing"', () => {
  const db = storeOf([base]);
  assert.throws(() => loadMissing(db, { host: 'nope' }), NotFoundError);
  assert.deepEqual(loadMissing(db, { host: 'h1' }).missing, [{ host: 'h1', episodes: [], stillMissing: false }]);
});
