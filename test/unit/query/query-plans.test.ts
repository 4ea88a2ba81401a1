// Every SQL statement the queries run on a hot path is an index seek or an
// index range: none scans a whole table.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as checkpoints from '../../../src/store/state-checkpoints.js';
import { CHANGED_KEY_NAMES_SQL, CHANGED_KEYS_SQL } from '../../../src/store/changed-keys.js';
import { AGENT_AT_SQL } from '../../../src/store/agent-rows.js';
import * as marks from '../../../src/store/snapshot-marks.js';
import { EACH_VERSION_SOURCE } from '../../../src/store/prune.js';
import { EACH_OUTCOME, OUTCOMES_BETWEEN_SQL } from '../../../src/store/snapshot-index.js';
import * as reads from '../../../src/store/version-reads.js';
import * as watch from '../../../src/store/watch-record-reads.js';
import { PRESENCE_STARTS_SQL } from '../../../src/store/presence-starts.js';
import { storeOf } from './store-history.js';

const db = storeOf(Array.from({ length: 30 }, (_, i) => ({ leaves: { L1: ['h1', 'h2'], L2: ['h3'] }, offline: i % 3 ? [] : ['h2'] })));

/** The plan's lines (EXPLAIN QUERY PLAN) for `sql` with these parameters. */
function planOf(sql: string, ...params: unknown[]): string[] {
  return (db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
}

const STATEMENTS: [string, string, unknown[]][] = [
  ['checkpoint at a snapshot', checkpoints.CHECKPOINT_SQL, ['status', 5]],
  ['versions of a source after its checkpoint', checkpoints.SOURCE_VERSIONS_SQL, ['status', 2, 20, -1]],
  ['net change of a source after its checkpoint', checkpoints.NET_CHANGES_SQL, ['status', 2, 20]],
  ['versions since a checkpoint, counted', checkpoints.COUNT_SINCE_SQL, ['status', 2, 20, 512]],
  ['the latest checkpoint, its size only', checkpoints.HEAD_SQL, ['status', 20]],
  ['changed keys', CHANGED_KEYS_SQL, [{ a: 1, b: 20, lo: 1, hi: 20, source: 'status' }]],
  ['changed keys, names only', CHANGED_KEY_NAMES_SQL, [{ lo: 1, hi: 20, source: 'agents' }]],
  ['versions in a range', reads.RANGE_SQL, ['["status"]', 1, 20]],
  ['versions in a range with before', reads.RANGE_WITH_BEFORE_SQL, ['["status"]', 1, 20]],
  ['versions at listed snapshots with before', reads.AT_SNAPSHOTS_WITH_BEFORE_SQL, ['[3,5]', '["status"]']],
  ['one source in a range with before', reads.SOURCE_RANGE_WITH_BEFORE_SQL, ['status', 1, 20]],
  ['keys of an entity', reads.KEYS_OF_ENTITY_SQL, ['["status","zk.roles"]', '["status","placement"]', 'h1']],
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
  ['snapshots by id, many', marks.MARKS_OF_SQL, ['[3,5,9]']],
  ['snapshots before, many', marks.BEFORE_OF_SQL, ['[3,5,9]']],
  ['previous ok reads, many', marks.PREVIOUS_OK_OF_SQL, ['chairman', '[3,5,9]']],
  ['snapshots in a range', marks.MARKS_BETWEEN_SQL, [3, 9]],
  ['first snapshot in a window', marks.FIRST_AT_OR_AFTER_SQL, [0]],
  ['last snapshot in a window', marks.LAST_AT_OR_BEFORE_SQL, [Number.MAX_SAFE_INTEGER]],
  ['how often each key of a kind began to hold', PRESENCE_STARTS_SQL, ['zk.missing', 20, 'missing']],
  ['versions of entities', reads.VERSIONS_OF_ENTITIES_SQL, ['status', 'status', '["h1","h2"]', 20]],
  ['versions of entities from a window start', reads.VERSIONS_OF_ENTITIES_AFTER_SQL, ['status', 'status', '["h1","h2"]', 20, 10]],
  ['versions of entities from a removal', reads.VERSIONS_OF_ENTITIES_FROM_REMOVAL_SQL, ['status', 'status', '["h1","h2"]', 20, 10]],
  ['a few keys in a range, mentioning a host', reads.KEYS_IN_SPANS_SQL, [{ source: 'zk.watch', kind: 'watch', entities: '["/missing"]', spans: '[[1,20]]', mentioning: 'h1' }]],
  ['a few keys in several ranges, mentioning a host', reads.KEYS_IN_SPANS_SQL, [{ source: 'zk.watch', kind: 'watch', entities: '["/missing"]', spans: '[[1,4],[9,20]]', mentioning: 'h1' }]],
  ['versions at given snapshots', reads.VERSIONS_AT_SQL, ['[["h1",3],["h2",5]]', 'status', 'status']],
  ['versions over spans of entities', reads.VERSIONS_OVER_SPANS_SQL, ['[["h1",3,9],["h2",5,20]]', 'status', 'status']],
  ['watched record parts naming children', watch.WATCH_RECORD_SQL, [{ entities: '["/missing"]', qualifiers: 1, afterId: 1, toId: 20, mentioning: '["\\"h1\\""]' }]],
  ['watched changes of a path', watch.WATCHED_CHANGES_OF_PATH_SQL, [{ path: '/missing', afterId: 1, toId: 20 }]],
  ['watched deletions of children', watch.WATCHED_REMOVALS_OF_CHILDREN_SQL, [{ parent: '/missing', names: '["h1"]', afterId: 1, toId: 20 }]],
  ['watched deletions of a few children', watch.WATCHED_REMOVALS_OF_NAMED_CHILDREN_SQL, [{ parent: '/missing', names: '["h1"]', afterId: 1, toId: 20, mentioning: '["\\"h1\\""]' }]],
];

// Outcome rows and versions have no index led by the snapshot: a condition on it
// alone is a search of the key by the cluster, i.e. the cluster's whole table.
// With the sources found first (src/store/named-sources.ts) it is a range per source.
const BY_SOURCE: [string, string, unknown[]][] = [
  ["one snapshot's outcomes", `SELECT * FROM snapshot_sources WHERE ${EACH_OUTCOME} AND snapshot_id = ?`, [3]],
  ['the outcomes of a snapshot range', OUTCOMES_BETWEEN_SQL, [3, 20]],
  ['versions before a snapshot (prune)', `SELECT count(*) FROM fact_versions WHERE ${EACH_VERSION_SOURCE} AND from_snapshot < ?`, [5]],
];

test('outcome rows and versions of a snapshot range are read per source', () => {
  for (const [name, sql, params] of BY_SOURCE) {
    const plan = planOf(sql, ...params);
    assert.match(plan[0]!, /^SEARCH \S+ USING PRIMARY KEY \(cluster=\? AND source=\? /, `${name}: ${plan.join(' | ')}`);
  }
});

for (const analyzed of [false, true]) {
  test(`no full table scan${analyzed ? ' (after ANALYZE)' : ''}`, () => {
    if (analyzed) db.$client.exec('ANALYZE');
    for (const [name, sql, params] of STATEMENTS) {
      const plan = planOf(sql, ...params);
      // json_each (as "j" or "j2": the pairs asked for) lists what was asked for; "c" and "(subquery-N)" are derived from an index range,
      // "named" (and its constant first row) from seeks of a key (src/store/named-sources.ts).
      const scans = plan.filter((d) => /^SCAN /.test(d) && !/^SCAN (json_each|j2?|c|named|CONSTANT ROW|\(subquery-\d+\))( |$)/.test(d));
      assert.deepEqual(scans, [], `${name}: ${plan.join(' | ')}`);
    }
  });
}

// A plan can avoid full scans and still cost the history: the per-pair read
// once searched every key of the kind, then each key's versions, and scanned
// the pairs inside that (48 s for a year's diff). Each pair must be one seek
// on the whole key of each table.
for (const analyzed of [false, true]) {
  test(`versions at given snapshots: one seek per pair on each table's whole key${analyzed ? ' (after ANALYZE)' : ''}`, () => {
    if (analyzed) db.$client.exec('ANALYZE');
    const plan = planOf(reads.VERSIONS_AT_SQL, '[["h1",3]]', 'status', 'status');
    assert.match(plan[0] ?? '', /^SCAN j /, plan.join(' | '));
    assert.ok(plan.some((d) => /^SEARCH k .*\(cluster=\? AND source=\? AND kind=\? AND entity=\?\)/.test(d)), plan.join(' | '));
    assert.ok(plan.some((d) => /^SEARCH v .*\(key_id=\? AND from_snapshot=\?\)/.test(d)), plan.join(' | '));
  });
}

// An agent's role at a snapshot is its role key and its host keys: a seek of the
// identity index for each kind. One OR over both kinds let SQLite walk every key of
// the agents source (10,000 at 5,000 hosts) for each agent a diff asked about.
for (const analyzed of [false, true]) {
  test(`an agent's role at a snapshot: one seek of the identity index per kind${analyzed ? ' (after ANALYZE)' : ''}`, () => {
    if (analyzed) db.$client.exec('ANALYZE');
    const plan = planOf(AGENT_AT_SQL, { at: 20, agent: 'a1', lo: 'a1/', hi: 'a10' });
    const keySearches = plan.filter((d) => /^SEARCH k /.test(d));
    assert.equal(keySearches.length, 2, plan.join(' | '));
    assert.match(keySearches[0]!, /\(cluster=\? AND source=\? AND kind=\? AND entity=\?\)/, plan.join(' | '));
    assert.match(keySearches[1]!, /\(cluster=\? AND source=\? AND kind=\? AND entity>\? AND entity<\?\)/, plan.join(' | '));
  });
}

// A sparse source's versions (the watched record, the Stats) must be a range
// of that source alone: the range index would walk every version of the range.
for (const analyzed of [false, true]) {
  test(`one source's versions in a range: a range of the primary key${analyzed ? ' (after ANALYZE)' : ''}`, () => {
    if (analyzed) db.$client.exec('ANALYZE');
    const plan = planOf(reads.SOURCE_RANGE_WITH_BEFORE_SQL, 'status', 1, 20);
    assert.match(plan[0] ?? '', /^SEARCH v USING PRIMARY KEY \(cluster=\? AND source=\? AND from_snapshot>\? AND from_snapshot<\?\)/, plan.join(' | '));
  });
}
