// `snapshots` (and the report's collections) list each snapshot with its
// outcomes, read a range of snapshots at a time: the same outcomes, in the same
// order, as one read per snapshot, across range boundaries and windows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listSnapshotsWithOutcomes } from '../../../src/query/list-snapshots.js';
import { down, storeOf } from './store-history.js';
import { mark } from './marks.js';

const base = { leaves: { L1: ['h1', 'h2'], L2: ['h3'] } };
// 23 snapshots: every third with the chairman down, every fifth with h2 offline.
const db = storeOf(Array.from({ length: 23 }, (_, i) => ({ ...base, ...(i % 3 ? {} : { failed: { chairman: down } }), ...(i % 5 ? {} : { offline: ['h2'] }) })));

test('a range read at a time gives what a read per snapshot gives, whatever the range', () => {
  for (const opts of [{}, { limit: 5 }, { since: mark(4).startedAt, until: mark(17).startedAt }]) {
    const rows = db.listSnapshots(opts);
    assert.ok(rows.length > 0);
    const perSnapshot = rows.map((r) => db.sourceOutcomes(r.id));
    for (const range of [1, 3, 7, 2048]) {
      const listed = listSnapshotsWithOutcomes(db, opts, range);
      assert.deepEqual(listed.map((s) => s.id), rows.map((r) => r.id));
      listed.forEach((s, i) => {
        const want = perSnapshot[i]!;
        assert.deepEqual(Object.keys(s.sources), want.map((o) => o.source), `#${s.id} by ${range}: sources in order`);
        assert.deepEqual(s.failedSources, want.filter((o) => !o.ok).map((o) => o.source));
        assert.deepEqual(Object.values(s.sources).map((o) => o.durationMs), want.map((o) => o.durationMs));
      });
      assert.ok(listed.some((s) => s.failedSources.includes('chairman')) && listed.some((s) => s.counts.offline === 1));
    }
  }
});
