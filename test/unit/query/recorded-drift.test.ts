// A recorded drift item keeps its ids only when its key cannot give them back
// (record-drift.ts); records written before kept them always. All read alike.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRecorded } from '../../../src/query/recorded-drift.js';

const sides = { 'zk.missing': true, status: 'ONLINE' };

test('a recorded item reads the same with its ids stored or taken from its key', () => {
  const key = 'missing_but_online:h1';
  const now = parseRecorded(key, JSON.stringify({ sides }));
  const before = parseRecorded(key, JSON.stringify({ ids: ['h1'], sides }));
  assert.deepEqual(now, before);
  assert.equal(JSON.stringify(now), JSON.stringify(before), 'the same text, key order included');
  assert.deepEqual(now.ids, ['h1']);
  assert.deepEqual(parseRecorded('leaf_owner_differs:L1,h2', JSON.stringify({ sides: { 'zk.roles': 'h2', chairman: 'h3' } })).ids, ['L1', 'h2']);
});

test('ids the key cannot give back are stored and win', () => {
  assert.deepEqual(parseRecorded('missing_but_online:a,b', JSON.stringify({ ids: ['a,b'], sides })).ids, ['a,b']);
});
