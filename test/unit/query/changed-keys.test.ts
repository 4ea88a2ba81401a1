// The two ways of finding what differs between two snapshots (the versions in
// the range, or the two states compared) give the same answer on any range,
// and the cheaper one is chosen.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { changedKeys, changedKeysOfSource, rangeOutweighsState, type ChangedKey } from '../../../src/store/changed-keys.js';
import { classifyChange } from '../../../src/query/classify-change.js';
import { OLD_CHECKPOINT_SNAPSHOTS } from '../../../src/store/checkpoint-format.js';
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

test('a checkpoint inside the range, renewed because the last was old, does not make a range of few versions read by states', () => {
  // 1,500 registrations, one changed every 20 snapshots: its checkpoints come by age (checkpoint-format.ts), not by versions.
  const hosts = 1_500;
  const reg = (h: number, n: number) => ({ source: 'zk.hosts' as const, kind: 'registration' as const, entity: `h${h}`, value: JSON.stringify({ address: { host: `10.0.${n % 250}.1`, port: 8835 } }) });
  const history = Array.from({ length: Math.ceil(OLD_CHECKPOINT_SNAPSHOTS * 1.2) }, (_, i) => (i === 0 ? Array.from({ length: hosts }, (_, h) => reg(h, 0)) : i % 20 === 0 ? [reg(i % hosts, i)] : []));
  const db = openDatabase(':memory:');
  const ids = writeHistory(db, history);
  const last = ids.at(-1)!;
  const renewed = db.$client.prepare("SELECT count(*) FROM state_checkpoints WHERE source = 'zk.hosts' AND snapshot_id > ?").pluck().get(ids[0]!) as number;
  assert.ok(renewed > 0, 'a checkpoint inside the range');
  assert.equal(rangeOutweighsState(db, ids[0]!, last, 'zk.hosts'), false, '~600 versions against 1,500 facts');
  assert.equal(rangeOutweighsState(db, 0, last, 'zk.hosts'), true, 'with the first collection, as many versions as facts');
  assert.deepEqual(classified(changedKeys(db, ids[0]!, last, ['zk.hosts'])), classified(changedKeysOfSource(db, ids[0]!, last, 'zk.hosts', 'states')));
  db.$client.close();
});
