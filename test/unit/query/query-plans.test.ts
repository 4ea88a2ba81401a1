// Every SQL statement the queries run on a hot path is an index seek or an
// index range: none scans a whole table.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as checkpoints from '../../../src/store/state-checkpoints.js';
import { CHANGED_KEYS_SQL } from '../../../src/store/changed-keys.js';
import * as marks from '../../../src/store/snapshot-marks.js';
import * as reads from '../../../src/store/version-reads.js';
import { storeOf } from './store-history.js';

const db = storeOf(Array.from({ length: 30 }, (_, i) => ({ leaves: { L1: ['h1', 'h2'], L2: ['h3'] }, offline: i % 3 ? [] : ['h2'] })));

const STATEMENTS: [string, string, unknown[]][] = [
  ['checkpoint at a snapshot', checkpoints.CHECKPOINT_SQL, ['status', 5]],
  ['versions of a source after its checkpoint', checkpoints.SOURCE_VERSIONS_SQL, ['status', 2, 20, -1]],
  ['net change of a source after its checkpoint', checkpoints.NET_CHANGES_SQL, ['status', 2, 20]],
  ['versions since a checkpoint, counted', checkpoints.COUNT_SINCE_SQL, ['status', 2, 20, 512]],
  ['a checkpoint within a range', checkpoints.CHECKPOINT_WITHIN_SQL, ['status', 2, 20]],
  ['changed keys', CHANGED_KEYS_SQL, [{ a: 1, b: 20, lo: 1, hi: 20, source: 'status' }]],
  ['versions in a range', reads.RANGE_SQL, [1, 20, '["status"]']],
  ['versions in a range with before', reads.RANGE_WITH_BEFORE_SQL, [1, 20, '["status"]']],
  ['keys of an entity', reads.KEYS_OF_ENTITY_SQL, ['h1']],
  ['one key', reads.KEY_SQL, ['status', 'status', 'h1']],
  ['keys of a kind', reads.KEYS_OF_KIND_SQL, ['zk.missing', 'missing']],
  ['one key history', reads.KEY_VERSIONS_SQL, [1, 20]],
  ['one key history from a window start', reads.KEY_VERSIONS_AFTER_SQL, [1, 20, 1, 10]],
  ['failures in a range', reads.FAILURES_SQL, ['chairman', 1, 20]],
  ['first ok after', reads.FIRST_OK_AFTER_SQL, ['chairman', 3]],
  ['snapshot by id', marks.MARK_SQL, [3]],
  ['snapshot before', marks.BEFORE_SQL, [3]],
  ['snapshot after', marks.AFTER_SQL, [3]],
  ['previous ok read', marks.PREVIOUS_OK_SQL, ['chairman', 3]],
  ['first snapshot in a window', marks.FIRST_AT_OR_AFTER_SQL, [0]],
  ['last snapshot in a window', marks.LAST_AT_OR_BEFORE_SQL, [Number.MAX_SAFE_INTEGER]],
];

for (const analyzed of [false, true]) {
  test(`no full table scan${analyzed ? ' (after ANALYZE)' : ''}`, () => {
    if (analyzed) db.$client.exec('ANALYZE');
    for (const [name, sql, params] of STATEMENTS) {
      const plan = (db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(params as [])) as { detail: string }[]).map((r) => r.detail);
      // json_each lists the sources asked for; "c" and "(subquery-N)" are derived from an index range.
      const scans = plan.filter((d) => /^SCAN /.test(d) && !/^SCAN (json_each|c|\(subquery-\d+\))( |$)/.test(d));
      assert.deepEqual(scans, [], `${name}: ${plan.join(' | ')}`);
    }
  });
}
