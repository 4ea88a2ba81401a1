import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarizeCollection } from '../../../src/collect/collection-summary.js';
import { DaemonMetrics } from '../../../src/daemon/daemon-metrics.js';
import type { TickReport } from '../../../src/daemon/run-tick.js';
import { tickLogFields, tickLogLevel } from '../../../src/daemon/tick-log.js';
import { tickOutcome } from '../../../src/daemon/tick-outcome.js';
import { unreadObservation } from '../../../src/daemon/unread-observation.js';
import { sourceError } from '../../../src/model/source-error.js';
import { recordCollection } from '../../../src/record/index.js';
import { openDatabase, type Db } from '../../../src/store/open-database.js';
import { writeSnapshot } from '../../../src/store/write-snapshot.js';
import { observation, type ClusterSpec } from '../../support/observation.js';
import { parsePrometheusText, promValue } from '../../support/prometheus-text.js';

const AT = 1_800_000_000_000;

function tick(db: Db, metrics: DaemonMetrics, seq: number, obs: ReturnType<typeof observation>): TickReport {
  const { written, summary, drift } = recordCollection(db, obs);
  assert.ok(drift.ok);
  const report: TickReport = {
    recorded: true,
    tick: { seq, scheduledAt: new Date(obs.startedAt) },
    outcome: tickOutcome('collected', summary),
    observation: obs,
    written,
    summary,
  };
  metrics.recordTick(report, drift.value);
  return report;
}

test('metrics after ticks: outcomes, per-source state and errors, nodes, missing, drift', () => {
  const db = openDatabase(':memory:');
  const metrics = new DaemonMetrics({ lastSuccessAt: null, sourceLastSuccessAt: {} }, AT);
  const base: ClusterSpec = { leaves: { L1: ['h1', 'h2'], L2: ['h3'] } };
  tick(db, metrics, 1, observation({ ...base, at: AT }));
  const partial = tick(db, metrics, 2, observation({
    ...base,
    at: AT + 60_000,
    offline: ['h3'],
    missing: ['h2'],
    chairmanLeaves: { L1: ['h1'], L2: ['h3'], L3: ['h2'] },
    failed: { root: { kind: 'unreachable', message: 'ECONNREFUSED' } },
  }));
  assert.equal(partial.outcome, 'partial');
  const m = parsePrometheusText(metrics.render());
  assert.equal(promValue(m, 'treesnap_collections_total', { outcome: 'complete' }), 1);
  assert.equal(promValue(m, 'treesnap_collections_total', { outcome: 'partial' }), 1);
  assert.equal(promValue(m, 'treesnap_last_success_timestamp_seconds'), (AT + 100) / 1000, 'the complete one');
  assert.equal(promValue(m, 'treesnap_last_collection_timestamp_seconds'), (AT + 60_100) / 1000);
  assert.equal(promValue(m, 'treesnap_last_snapshot_id'), 2);
  assert.equal(promValue(m, 'treesnap_source_up', { source: 'root' }), 0);
  assert.equal(promValue(m, 'treesnap_source_up', { source: 'chairman' }), 1);
  assert.equal(promValue(m, 'treesnap_source_last_success_timestamp_seconds', { source: 'root' }), (AT + 100) / 1000);
  assert.equal(promValue(m, 'treesnap_source_errors_total', { source: 'root', kind: 'unreachable' }), 1);
  assert.equal(promValue(m, 'treesnap_nodes', { status: 'online' }), 3, 'ROOT, h1, h2');
  assert.equal(promValue(m, 'treesnap_nodes', { status: 'offline' }), 1);
  assert.equal(promValue(m, 'treesnap_hosts_missing'), 1);
  assert.equal(promValue(m, 'treesnap_hosts_registered'), 3);
  assert.equal(promValue(m, 'treesnap_drift_items', { kind: 'leaf_hosts_differ' }), 1, 'L1: h2 only in ZooKeeper');
  assert.equal(promValue(m, 'treesnap_drift_items', { kind: 'leaf_in_one_source' }), 1, 'L3: only the chairman');
  assert.equal(promValue(m, 'treesnap_drift_items', { kind: 'missing_but_online' }), 1, 'h2');
  assert.equal(promValue(m, 'treesnap_drift_items', { kind: 'offline_not_missing' }), 1, 'h3');
  assert.equal(promValue(m, 'treesnap_drift_items', { kind: 'node_error' }), 0);
  assert.equal(promValue(m, 'treesnap_drift_items', { kind: 'root_children_differ' }), 0, 'root unknown: not drift...');
  assert.equal(promValue(m, 'treesnap_drift_cannot_compare'), 1, '...but "cannot compare" (L3 against the root)');
  assert.ok(promValue(m, 'process_resident_memory_bytes') > 0);
});

test('a restarted daemon seeds "last success" from the history instead of reporting never', () => {
  const metrics = new DaemonMetrics({ lastSuccessAt: AT, sourceLastSuccessAt: { chairman: AT - 5000 } }, AT + 1000);
  const m = parsePrometheusText(metrics.render());
  assert.equal(promValue(m, 'treesnap_last_success_timestamp_seconds'), AT / 1000);
  assert.equal(promValue(m, 'treesnap_source_last_success_timestamp_seconds', { source: 'chairman' }), (AT - 5000) / 1000);
  assert.equal(promValue(m, 'treesnap_source_last_success_timestamp_seconds', { source: 'root' }), 0);
});

test('the recorded head catches up when another writer recorded a snapshot in between', () => {
  const db = openDatabase(':memory:');
  recordCollection(db, observation({ leaves: { L1: ['h1'] }, at: AT }));
  writeSnapshot(db, observation({ leaves: { L1: ['h1', 'h2'] }, at: AT + 1 })); // `collect` from cron, dead before its drift
  const { drift } = recordCollection(db, observation({ leaves: { L1: ['h1', 'h2'] }, missing: ['h2'], at: AT + 2 }));
  assert.ok(drift.ok);
  const facts = drift.value.facts;
  assert.deepEqual([...facts.registrations.keys()].sort(), ['h1', 'h2']);
  assert.deepEqual([...facts.missing], ['h2']);
});

test('the tick log line: counts, one shared error said once, levels by outcome', () => {
  const db = openDatabase(':memory:');
  const obs = unreadObservation(AT, AT + 1500, sourceError('abandoned', 'abandoned: the collection outlived its budget of 1s'));
  const written = writeSnapshot(db, obs);
  const summary = summarizeCollection(obs, written);
  const report: TickReport = { recorded: true, tick: { seq: 4, scheduledAt: new Date(AT) }, outcome: 'abandoned', observation: obs, written, summary };
  assert.equal(tickLogLevel(report), 'warn');
  assert.deepEqual(tickLogFields(report), {
    tick: 4,
    snapshot: 1,
    outcome: 'abandoned',
    durationMs: 1500,
    failed: ['zk.services', 'zk.roles', 'zk.hosts', 'zk.missing', 'chairman', 'root', 'status', 'agents'],
    error: 'abandoned: abandoned: the collection outlived its budget of 1s',
    changes: 0,
  });
  const unrecorded: TickReport = { recorded: false, tick: { seq: 5, scheduledAt: new Date(AT) }, outcome: 'complete', durationMs: 12.4, error: 'database is locked' };
  assert.equal(tickLogLevel(unrecorded), 'error');
  assert.deepEqual(tickLogFields(unrecorded), { tick: 5, outcome: 'complete', durationMs: 12, recorded: false, error: 'database is locked' });
});

test('metrics of a crashed tick, a skipped tick, a failed write and failed attempts in a row', () => {
  const db = openDatabase(':memory:');
  const metrics = new DaemonMetrics({ lastSuccessAt: null, sourceLastSuccessAt: {} }, AT);
  // A crashed collection is recorded like run-tick records it: every source unknown, the outcome its own.
  const obs = unreadObservation(AT, AT + 2500, sourceError('abandoned', 'abandoned: the collection failed (TypeError: boom)'));
  const { written, summary } = recordCollection(db, obs);
  metrics.recordTick({ recorded: true, tick: { seq: 1, scheduledAt: new Date(AT) }, outcome: tickOutcome('crashed', summary), observation: obs, written, summary }, null);
  metrics.recordSkip('overlap');
  metrics.recordSkip('overlap');
  metrics.recordWriteFailure();
  metrics.setBackoff(true, 3);
  const m = parsePrometheusText(metrics.render());
  assert.equal(promValue(m, 'treesnap_collections_total', { outcome: 'crashed' }), 1);
  assert.equal(promValue(m, 'treesnap_collection_duration_seconds'), 2.5);
  assert.equal(promValue(m, 'treesnap_ticks_skipped_total', { reason: 'overlap' }), 2);
  assert.equal(promValue(m, 'treesnap_store_write_failures_total'), 1);
  assert.equal(promValue(m, 'treesnap_consecutive_failed_collections'), 3);
  assert.equal(promValue(m, 'treesnap_backoff_active'), 1);
  assert.equal(promValue(m, 'treesnap_last_success_timestamp_seconds'), 0, 'a crash is no success');
});
