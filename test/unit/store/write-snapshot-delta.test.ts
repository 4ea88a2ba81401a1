import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WatchedInterval } from '../../../src/model/watch-event.js';
import type { ZkStat } from '../../../src/model/zk-stat.js';
import type { VersionWrite } from '../../../src/snapshot/plan-versions.js';
import { SOURCES } from '../../../src/snapshot/source-name.js';
import { watchWrites } from '../../../src/snapshot/zk-watch-facts.js';
import { openDatabase, type Db } from '../../../src/store/open-database.js';
import { unpackValue, type StoredValue } from '../../../src/store/value-codec.js';
import { writeSnapshot } from '../../../src/store/write-snapshot.js';
import { writeSnapshotDelta, type DeltaOutcome, type SnapshotDelta } from '../../../src/store/write-snapshot-delta.js';
import { withWriteTransaction } from '../../../src/store/write-transaction.js';
import { observation, type ClusterSpec } from '../../support/observation.js';
import { codeOf, nameOf } from '../../../src/store/source-codes.js';

const base: ClusterSpec = { leaves: { L1: ['h1', 'h2'], L2: ['h3'] }, at: 1_700_000_000_000 };

function dump(db: Db): Record<string, unknown[]> {
  const all = (sql: string) => db.$client.prepare(sql).all();
  return {
    snapshots: all('SELECT * FROM snapshots ORDER BY id'),
    sources: all('SELECT * FROM snapshot_sources ORDER BY snapshot_id, source'),
    keys: all('SELECT * FROM fact_keys ORDER BY id'),
    versions: all('SELECT * FROM fact_versions ORDER BY key_id, from_snapshot'),
  };
}

interface OutcomeDbRow {
  source: DeltaOutcome['source'];
  ok: number;
  error_kind: string | null;
  error_message: string | null;
  duration_ms: number;
  endpoint: string | null;
  /** As stored: packed (value-codec.ts) unless packing would not shrink it. */
  stats: StoredValue;
}

/** The delta that reproduces snapshot `id` of `db`, given the versions writeSnapshot reported. */
function deltaOf(db: Db, id: number, written: SnapshotDelta['writes']): SnapshotDelta {
  const snap = db.$client.prepare('SELECT started_at, finished_at FROM snapshots WHERE id = ?').get(id) as { started_at: number; finished_at: number };
  const rows = db.$client
    .prepare(`SELECT ${nameOf('source')} AS source, ok, error_kind, error_message, duration_ms, endpoint, stats FROM snapshot_sources WHERE snapshot_id = ?`)
    .all(id) as OutcomeDbRow[];
  const outcomes = rows.map((r): DeltaOutcome =>
    r.ok
      ? { source: r.source, ok: true, durationMs: r.duration_ms, endpoint: r.endpoint, stats: JSON.parse(unpackValue(r.stats)!) as Record<string, number> }
      : { source: r.source, ok: false, error: { kind: r.error_kind as 'timeout', message: r.error_message! }, durationMs: r.duration_ms, endpoint: r.endpoint },
  );
  return { startedAt: snap.started_at, finishedAt: snap.finished_at, outcomes, writes: written };
}

function allOk(writes: SnapshotDelta['writes'] = []): SnapshotDelta {
  return { startedAt: 1, finishedAt: 2, outcomes: SOURCES.map((source) => ({ source, ok: true, durationMs: 1 })), writes };
}

test('a delta records exactly the rows writeSnapshot records for the same changes', () => {
  const planned = openDatabase(':memory:');
  const replayed = openDatabase(':memory:');
  const history: ClusterSpec[] = [
    base,
    { ...base, at: base.at! + 300_000, leaves: { L1: ['h1'], L2: ['h3', 'h2'] }, missing: ['h2'], offline: ['h2'] },
    { ...base, at: base.at! + 600_000, failed: { chairman: { kind: 'unreachable', message: 'ECONNREFUSED' } } },
    { ...base, at: base.at! + 900_000 },
  ];
  for (const spec of history) {
    const r = writeSnapshot(planned, observation(spec));
    const again = writeSnapshotDelta(replayed, deltaOf(planned, r.snapshotId, r.written));
    assert.deepEqual(again, r);
  }
  assert.deepEqual(dump(replayed), dump(planned));
});

test('deltas batched in one write transaction commit together, or not at all', () => {
  const db = openDatabase(':memory:');
  const v = (entity: string, value: string | null) => ({ source: 'zk.missing' as const, kind: 'missing' as const, entity, value });
  const ids = withWriteTransaction(db, () => [
    writeSnapshotDelta(db, allOk([v('h1', 'true')])).snapshotId,
    writeSnapshotDelta(db, allOk()).snapshotId,
    writeSnapshotDelta(db, allOk([v('h1', null)])).snapshotId,
  ]);
  assert.deepEqual(ids, [1, 2, 3]);
  const before = dump(db);
  assert.throws(() =>
    withWriteTransaction(db, () => {
      writeSnapshotDelta(db, allOk([v('h2', 'true')]));
      throw new Error('stop');
    }),
  );
  assert.deepEqual(dump(db), before);
});

test('a delta with a version for a failed source, or without every outcome, is refused unwritten', () => {
  const db = openDatabase(':memory:');
  const failed = allOk([{ source: 'chairman', kind: 'leaf', entity: 'L1', value: '{}' }]);
  const outcomes = failed.outcomes.map((o): DeltaOutcome =>
    o.source === 'chairman' ? { source: 'chairman', ok: false, error: { kind: 'timeout', message: 't' }, durationMs: 1 } : o,
  );
  assert.throws(() => writeSnapshotDelta(db, { ...failed, outcomes }), RangeError);
  assert.throws(() => writeSnapshotDelta(db, { ...allOk(), outcomes: allOk().outcomes.slice(1) }), RangeError);
  const missingFailed = allOk().outcomes.map((o): DeltaOutcome => (o.source === 'zk.missing' ? { source: 'zk.missing', ok: false, error: { kind: 'timeout', message: 't' }, durationMs: 1 } : o));
  const stat = { kind: 'stat' as const, entity: '/missing/h1', value: '{}' };
  assert.throws(() => writeSnapshotDelta(db, { ...allOk(), outcomes: missingFailed, records: [stat] }), RangeError, 'a Stat whose source failed');
  assert.throws(() => writeSnapshotDelta(db, { ...allOk(), records: [{ ...stat, entity: '/elsewhere/x' }] }), RangeError, 'a Stat of a path no source reads');
  assert.deepEqual(dump(db).snapshots, []);
});

test('a delta with Stat and watched records writes the rows writeSnapshot writes for them', () => {
  const planned = openDatabase(':memory:');
  const replayed = openDatabase(':memory:');
  const stat = (n: number): ZkStat => ({ ctime: 1_000 + n, mtime: 2_000 + n, czxid: '10', mzxid: (16 + n).toString(16), pzxid: '10', version: n, cversion: 0, ephemeralOwner: '0' });
  const watched = (n: number): WatchedInterval => ({ events: n === 1 ? [{ path: '/missing', kind: 'children', stat: stat(n), arrivedAt: 5_000, added: ['h2'] }] : [], gaps: [], dropped: 0 });
  for (let n = 0; n < 3; n++) {
    const obs = { ...observation({ ...base, at: base.at! + n * 300_000 }), zkStats: { '/missing': stat(n), '/roles': stat(0) } };
    const r = writeSnapshot(planned, obs, watchWrites(watched(n)));
    const rows = (source: string) =>
      planned.$client
        .prepare(`SELECT k.kind, k.entity, v.value FROM fact_versions v JOIN fact_keys k ON k.id = v.key_id WHERE v.source = ${codeOf('?')} AND v.from_snapshot = ?`)
        .all(source, r.snapshotId) as VersionWrite[];
    const records = rows('zk.stat');
    const watch = rows('zk.watch');
    assert.ok(records.length > 0 && (n === 0 || records.length === 1), `#${r.snapshotId}: Stats written`);
    if (n > 0) assert.equal(watch.length, 1, `#${r.snapshotId}: the interval's event, or the end of the last one's`);
    writeSnapshotDelta(replayed, { ...deltaOf(planned, r.snapshotId, r.written), records, watch });
  }
  assert.deepEqual(dump(replayed), dump(planned));
});
