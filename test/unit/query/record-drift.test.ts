// Recorded drift answers exactly as drift checked live: at every snapshot, and
// as episodes over any window; recording in steps equals recording at once;
// a record made by other checks is rebuilt; a prune keeps it readable.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateHistory, type HistorySpec } from '../../../bench/history/generate-history.js';
import { loadDriftHistory, type DriftHistoryReport } from '../../../src/query/load-drift-history.js';
import { driftSources } from '../../../src/query/drift.js';
import { loadDrift, type DriftReport } from '../../../src/query/load-drift.js';
import { DRIFT_RECORD_VERSION, recordDrift, recordedThrough } from '../../../src/record/index.js';
import { openDatabase, type SqliteHistory } from '../../../src/store/open-database.js';
import { pruneHistory } from '../../../src/store/prune.js';
import { snapshotById } from '../../../src/store/snapshot-index.js';
import { writeSnapshotDelta } from '../../../src/store/write-snapshot-delta.js';
import { withWriteTransaction } from '../../../src/store/write-transaction.js';
import type { ClusterSpec } from '../../support/observation.js';
import { storeOf } from './store-history.js';
import { codeOf } from '../../../src/store/source-codes.js';

const SPEC: HistorySpec = { hosts: 64, snapshots: 2500, seed: 7, fanout: 8, startAt: Date.UTC(2026, 0, 1), stepMs: 300_000 };

/** A realistic history (the bench's generator: flaps, moves, outages, leader changes), not recorded. */
function history(spec: HistorySpec, stop = spec.snapshots): SqliteHistory {
  const db = openDatabase(':memory:');
  let n = 0;
  withWriteTransaction(db, () => generateHistory(spec, (delta) => void (++n <= stop && writeSnapshotDelta(db, delta))));
  return db;
}

/** As printed by `drift --json`: recorded and live answers must be the same text, key order included. */
const drift = (db: SqliteHistory, id: number) => JSON.stringify(loadDrift(db, snapshotById(db, id)!));
const episodes = (r: DriftHistoryReport) => JSON.stringify({ ...r, evaluations: 0 });
const windowOf = (db: SqliteHistory, a: number, b: number) => ({ since: snapshotById(db, a)!.startedAt, until: snapshotById(db, b)!.startedAt });

function dumpRecord(db: SqliteHistory): unknown[] {
  return db.$client
    .prepare(`SELECT k.entity, v.from_snapshot, v.value FROM fact_versions v JOIN fact_keys k ON k.id = v.key_id WHERE v.source = ${codeOf("'drift'")} ORDER BY 2, 1`)
    .all();
}

test('recorded drift equals drift checked live, at every snapshot and over any window', () => {
  const db = history(SPEC);
  const ids = Array.from({ length: SPEC.snapshots }, (_, i) => i + 1);
  const windows = [
    [1, SPEC.snapshots],
    [1, 1],
    [700, 1900],
    [1200, 1500],
    [2400, SPEC.snapshots],
  ] as const;
  const live = ids.map((id) => drift(db, id));
  const liveEpisodes = windows.map(([a, b]) => episodes(loadDriftHistory(db, windowOf(db, a, b))));
  const parsed = live.map((text) => JSON.parse(text) as DriftReport);
  assert.ok(parsed.some((d) => d.total > 0) && parsed.some((d) => d.cannotCompare.length > 0), 'the history has drift and outages');
  // The record leaves an item's sources out: they must follow from its kind and sides.
  for (const d of parsed) for (const i of [...d.drift, ...d.cannotCompare]) assert.deepEqual(i.sources, driftSources(i.kind, i.sides));

  assert.equal(recordedThrough(db), 0);
  assert.ok(recordDrift(db) > 0);
  assert.equal(recordedThrough(db), SPEC.snapshots);
  ids.forEach((id, i) => assert.deepEqual(drift(db, id), live[i], `snapshot #${id}`));
  windows.forEach(([a, b], i) => assert.deepEqual(episodes(loadDriftHistory(db, windowOf(db, a, b))), liveEpisodes[i], `window #${a}-#${b}`));
});

test('recording after every few snapshots writes what recording once writes', () => {
  const once = history(SPEC, 900);
  recordDrift(once);
  const steps = openDatabase(':memory:');
  let n = 0;
  generateHistory(SPEC, (delta) => {
    if (++n > 900) return;
    writeSnapshotDelta(steps, delta);
    if (n % 37 === 0 || n === 900) recordDrift(steps);
  });
  assert.deepEqual(dumpRecord(steps), dumpRecord(once));
  assert.equal(recordDrift(steps), 0, 'nothing left to record');
  const last = new Map<string, unknown>();
  for (const row of dumpRecord(once) as { entity: string; value: string | null }[]) {
    assert.notEqual(row.value, last.get(row.entity), `${row.entity}: a version only where the item changed`);
    last.set(row.entity, row.value);
  }
});

test('the first snapshot recorded is checked whole, services without members included', () => {
  const specs: ClusterSpec[] = [
    { leaves: { L1: ['h1', 'h2'] }, failed: { services: { kind: 'timeout', message: 't' } } },
    { leaves: { L1: ['h1', 'h2'] }, services: { chairman: [] } },
    { leaves: { L1: ['h1', 'h2'] } },
  ];
  const db = storeOf(specs);
  const live = [1, 2, 3].map((id) => drift(db, id));
  assert.ok((JSON.parse(live[0]!) as DriftReport).cannotCompare.some((i) => i.kind === 'service_no_leader'));
  recordDrift(db);
  [1, 2, 3].forEach((id, i) => assert.deepEqual(drift(db, id), live[i], `snapshot #${id}`));
});

test('a record made by other checks is rebuilt; one a writer left behind is caught up', () => {
  const db = history(SPEC, 600);
  recordDrift(db);
  const expected = dumpRecord(db);
  db.$client.prepare("UPDATE meta SET value = ? WHERE key = 'drift.recorded'").run(JSON.stringify({ version: DRIFT_RECORD_VERSION - 1, through: 600 }));
  db.$client.prepare(`UPDATE fact_versions SET value = '{}' WHERE source = ${codeOf("'drift'")}`).run();
  assert.equal(recordedThrough(db), 0, 'not trusted');
  recordDrift(db);
  assert.deepEqual(dumpRecord(db), expected);

  db.$client.prepare("UPDATE meta SET value = ? WHERE key = 'drift.recorded'").run(JSON.stringify({ version: DRIFT_RECORD_VERSION, through: 400 }));
  db.$client.prepare(`DELETE FROM fact_versions WHERE source = ${codeOf("'drift'")} AND from_snapshot > 400`).run();
  assert.deepEqual(drift(db, 500), drift(history(SPEC, 600), 500), 'beyond the record: checked live');
  recordDrift(db);
  assert.deepEqual(dumpRecord(db), expected);
});

test('after a prune, the kept snapshots read the same recorded drift', () => {
  const db = history(SPEC, 1200);
  recordDrift(db);
  const kept = [700, 701, 950, 1200];
  const before = kept.map((id) => drift(db, id));
  pruneHistory(db, { before: snapshotById(db, 700)!.startedAt });
  assert.equal(recordedThrough(db), 1200);
  kept.forEach((id, i) => assert.deepEqual(drift(db, id), before[i], `snapshot #${id}`));
});
