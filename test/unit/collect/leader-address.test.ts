// Where a collection reads the chairman and the root scheduler: the leader
// ZooKeeper names, an override, or (only when ZooKeeper cannot be read) the
// address last read, marked with its snapshot.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leaderAddress } from '../../../src/collect/leader-address.js';
import type { ServiceView, SourceReading } from '../../../src/model/observation.js';
import { err, ok } from '../../../src/model/result.js';
import { sourceError } from '../../../src/model/source-error.js';
import { sourceStats } from '../../../src/snapshot/source-stats.js';
import { zkConnectTimeoutMs } from '../../../src/daemon/collection-budget.js';
import { outcomeLine } from '../../../src/cli/render/snapshot-text.js';

const CHAIRMAN = { host: '10.0.0.5', port: 13000 };
const OLD = { endpoint: { host: '10.0.0.9', port: 13000 }, snapshotId: 41 };

function services(members: ServiceView['members']): SourceReading<ServiceView[]> {
  return { durationMs: 1, endpoint: null, result: ok([{ service: 'chairman', members }, { service: 'root-scheduler', members: [] }]) };
}
const zkDown: SourceReading<ServiceView[]> = { durationMs: 0, endpoint: null, result: err(sourceError('timeout', 'no ZooKeeper session')) };

test('ZooKeeper readable: its one member is the leader, the last known address is not used', () => {
  const r = leaderAddress(services([{ name: 'm1', address: CHAIRMAN, error: null }]), 'chairman', undefined, OLD);
  assert.deepEqual(r, ok({ endpoint: CHAIRMAN, fromSnapshot: null }));
});

test('ZooKeeper readable but no leader: believed, the last known address is not tried', () => {
  const r = leaderAddress(services([]), 'chairman', undefined, OLD);
  assert.ok(!r.ok);
  assert.equal(r.error.kind, 'no_leader');
});

test('ZooKeeper unreadable: the address last read, with the snapshot that read it', () => {
  assert.deepEqual(leaderAddress(zkDown, 'chairman', undefined, OLD), ok({ endpoint: OLD.endpoint, fromSnapshot: 41 }));
});

test('ZooKeeper unreadable and never read before: unknown, with ZooKeeper\'s error', () => {
  const r = leaderAddress(zkDown, 'chairman', undefined, undefined);
  assert.ok(!r.ok);
  assert.equal(r.error.kind, 'timeout');
  assert.equal(r.error.message, 'chairman address unknown: ZooKeeper unreadable (no ZooKeeper session)');
});

test('an override wins over ZooKeeper and over the last known address', () => {
  assert.deepEqual(leaderAddress(zkDown, 'chairman', CHAIRMAN, OLD), ok({ endpoint: CHAIRMAN, fromSnapshot: null }));
});

test('a reading at a last known address keeps its origin in the outcome stats, ok or not', () => {
  const reading = { durationMs: 3, endpoint: OLD.endpoint, addressFromSnapshot: 41, result: ok({ leaves: [] }) };
  assert.deepEqual(sourceStats({ source: 'chairman', ok: true, facts: [], keep: () => false, reading }), { address_from_snapshot: 41 });
  const failed = { ...reading, result: err(sourceError('unreachable', 'connection refused')) };
  assert.deepEqual(sourceStats({ source: 'chairman', ok: false, error: sourceError('unreachable', 'connection refused'), reading: failed }), {
    address_from_snapshot: 41,
  });
  const plain = { durationMs: 3, endpoint: CHAIRMAN, result: ok({ leaves: [] }) };
  assert.deepEqual(sourceStats({ source: 'chairman', ok: true, facts: [], keep: () => false, reading: plain }), {});
});

test('the outcome line names the address and its snapshot only when it was a last known one', () => {
  const base = { source: 'chairman' as const, ok: true, errorKind: null, errorMessage: null, durationMs: 12, endpoint: '10.0.0.9:13000' };
  assert.equal(outcomeLine({ ...base, stats: {} }), 'chairman ok (12ms)');
  assert.equal(
    outcomeLine({ ...base, stats: { address_from_snapshot: 41 } }),
    "chairman ok (12ms) at 10.0.0.9:13000, the leader's address as last read in #41 (ZooKeeper unreadable)",
  );
});

test("ZooKeeper's connect takes at most 40% of a tick's budget", () => {
  assert.equal(zkConnectTimeoutMs(5000, 2400), 960);
  assert.equal(zkConnectTimeoutMs(5000, 240_000), 5000);
});
