// The two ways of finding what differs between two snapshots (the versions in
// the range, or the two states compared) give the same answer on any range,
// and the cheaper one is chosen.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { changedKeys, changedKeysOfSource, rangeOutweighsState, type ChangedKey } from '../../../src/store/changed-keys.js';
import { classifyChange } from '../../../src/query/classify-change.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { randomHistory, writeHistory } from '../../support/random-history.js';

/** What users see of the changes: the diff's classification of each. */
const parse = (v: string | null) => (v === null ? null : JSON.parse(v));
const classified = (rows: ChangedKey[]) =>
  rows
    .flatMap((r) => classifyChange({ ...r, before: parse(r.before), after: parse(r.after) }).map((c) => `${r.source}|${JSON.stringify(c)}`))
    .sort();

test('by versions and by states, every range gives the same changes as users see them', () => {
  const db = openDatabase(':memory:');
  const ids = writeHistory(db, randomHistory(21, 900, 40));
  fc.assert(
    fc.property(fc.integer({ min: 1, max: ids.length }), fc.integer({ min: 1, max: ids.length }), (a, b) => {
      for (const source of ['status', 'zk.hosts', 'zk.missing', 'chairman'] as const) {
        const byVersions = changedKeysOfSource(db, a, b, source, 'versions');
        assert.deepEqual(classified(changedKeysOfSource(db, a, b, source, 'states')), classified(byVersions), `${source} #${a} → #${b}`);
        assert.ok(byVersions.every((r) => r.before !== r.after));
      }
    }),
    { numRuns: 60 },
  );
});

test('a range holding more versions than the state has facts is compared by states, a short one by its versions', () => {
  const db = openDatabase(':memory:');
  const ids = writeHistory(db, randomHistory(4, 900, 40));
  const last = ids.at(-1)!;
  // The whole history of status holds thousands of versions of about 40 facts.
  assert.equal(rangeOutweighsState(db, 1, last, 'status'), true);
  assert.equal(rangeOutweighsState(db, last - 1, last, 'status'), false);
  assert.equal(rangeOutweighsState(db, 1, last, 'zk.roles'), false, 'a source with no versions');
  assert.deepEqual(classified(changedKeys(db, 1, last, ['status'])), classified(changedKeysOfSource(db, 1, last, 'status', 'versions')));
});
