// The simulator's own fault injection at 5,000 hosts, the simulator in a
// process of its own and the collector as the real CLI: 10% of the agents stop
// at once and the chairman moves 100 hosts without persisting. The collection
// still reads every source, and records exactly those changes: 500 status rows
// (OFFLINE), 100 chairman placements, and the stopped leaf owners' agents as
// unknown, nothing else. How long such a collection takes is the bench's to
// measure (its collection section, against the every-minute budget), not this
// test's.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { CollectionSummary } from '../../src/collect/collection-summary.js';
import { openDatabase } from '../../src/store/open-database.js';
import { unpackRows } from '../../src/store/value-codec.js';
import { startSimDriver, type SimDriverProcess } from '../support/sim-driver-process.js';
import type { LeafTruth } from '../support/sim-driver.js';
import { treesnap } from '../support/treesnap-cli.js';
import { freshChroot } from '../support/zookeeper.js';

const HOSTS = 5000;
const STOPPED = HOSTS / 10;
const MOVED = 100;
const CLUSTER_OPTS = ['--connect-timeout', '5s', '--timeout', '10s', '--probe-timeout', '2s'];

let sim: SimDriverProcess | undefined;
let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'treesnap-sim5k-'));
});
after(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Row {
  source: string;
  kind: string;
  entity: string;
  value: string | null;
}

/** The versions written in one snapshot, their values as text (the packed kinds unpacked). */
function rowsOf(path: string, snapshotId: number): Row[] {
  const db = openDatabase(path, { readonly: true });
  try {
    const rows = db.$client
      .prepare(
        `SELECT k.source, k.kind, k.entity, v.value FROM fact_versions v JOIN fact_keys k ON k.id = v.key_id
         WHERE v.from_snapshot = ? ORDER BY k.source, k.kind, k.entity`,
      )
      .all(snapshotId) as Row[];
    return unpackRows(rows);
  } finally {
    db.$client.close();
  }
}

/** 100 hosts that own no leaf, each moved to the next leaf over (so no leaf loses its owner). */
function chooseMoves(leaves: LeafTruth[]): [string, string][] {
  const moves: [string, string][] = [];
  for (let i = 0; moves.length < MOVED; i++) {
    const from = leaves[i % leaves.length]!;
    const to = leaves[(i + 1) % leaves.length]!;
    const host = from.hosts.find((h) => h !== from.owner && !moves.some(([m]) => m === h));
    if (host) moves.push([host, to.id]);
  }
  return moves;
}

test(`${HOSTS} hosts: ${STOPPED} agents stop at once and the chairman moves ${MOVED} hosts unpersisted; exactly that is recorded`, { timeout: 600_000 }, async (t) => {
  const { connectString } = await freshChroot('sim5k');
  sim = await startSimDriver(connectString, HOSTS, 32);
  t.diagnostic(`simulator (own process) started ${HOSTS} hosts in ${sim.ready.startupMs} ms`);
  const db = join(dir, 'history.db');

  const first = await treesnap(['collect', '--zk', connectString, '--db', db, '--json', ...CLUSTER_OPTS]);
  assert.equal(first.code, 0, first.stderr);
  const baseline = JSON.parse(first.stdout) as CollectionSummary;
  assert.deepEqual(baseline.failedSources, []);
  assert.equal(baseline.sources.find((s) => s.source === 'status')!.count, HOSTS + 1);
  // Every node answered its probe at the baseline: the changes counted below are the faults', not a probe slow under load.
  const online = rowsOf(db, baseline.snapshotId).filter((r) => r.source === 'status' && (JSON.parse(r.value!) as { status: string }).status === 'ONLINE');
  assert.equal(online.length, HOSTS + 1, 'every node ONLINE at the baseline');
  t.diagnostic(`baseline collection: ${Math.round(first.ms)} ms wall`);

  const stopped = sim.ready.hostIds.filter((_, i) => i % 10 === 0);
  assert.equal(stopped.length, STOPPED);
  const moves = chooseMoves(sim.ready.leaves);
  await sim.command({ op: 'stopAgents', ids: stopped });
  await sim.command({ op: 'diverge', moves });

  const second = await treesnap(['collect', '--zk', connectString, '--db', db, '--json', ...CLUSTER_OPTS]);
  assert.equal(second.code, 0, second.stderr);
  const summary = JSON.parse(second.stdout) as CollectionSummary;
  t.diagnostic(`collection under faults: ${summary.durationMs} ms collecting, ${Math.round(second.ms)} ms wall`);
  assert.deepEqual(summary.failedSources, [], 'every source still read');

  // The owners among the stopped agents no longer answer get_schedulers: unknown, each its own change.
  const stoppedOwners = sim.ready.leaves.map((l) => l.owner!).filter((o) => stopped.includes(o)).sort();
  assert.ok(stoppedOwners.length > 0);
  const changes = Object.fromEntries(summary.sources.map((s) => [s.source, s.changes]));
  assert.deepEqual(changes, {
    'zk.services': 0,
    'zk.roles': 0,
    'zk.hosts': 0,
    'zk.missing': 0,
    chairman: MOVED,
    root: 0,
    status: STOPPED,
    agents: stoppedOwners.length,
  });
  assert.deepEqual([...summary.newlyOffline].sort(), [...stopped].sort());

  const all = rowsOf(db, summary.snapshotId);
  // The drift recorded after the collection (a derived source): each stopped agent is an undetected failure.
  const drift = all.filter((r) => r.source === 'drift');
  const offline = drift.filter((r) => r.entity.startsWith('offline_not_missing:')).map((r) => r.entity.slice('offline_not_missing:'.length));
  assert.deepEqual(offline.sort(), [...stopped].sort());
  const rows = all.filter((r) => r.source !== 'drift');
  const status = rows.filter((r) => r.source === 'status');
  const chairman = rows.filter((r) => r.source === 'chairman');
  assert.equal(rows.length, STOPPED + MOVED + stoppedOwners.length, 'nothing else changed');
  const agents = rows.filter((r) => r.source === 'agents');
  assert.deepEqual(agents.map((r) => r.entity), stoppedOwners);
  for (const r of agents) assert.ok('unknown' in (JSON.parse(r.value!) as object), `${r.entity} unknown, not "no role"`);
  assert.deepEqual(status.map((r) => r.entity), [...stopped].sort());
  for (const r of status) {
    assert.equal(r.kind, 'status');
    assert.equal((JSON.parse(r.value!) as { status: string }).status, 'OFFLINE', r.entity);
  }
  const movedTo = new Map(moves);
  assert.deepEqual(chairman.map((r) => `${r.kind}:${r.entity}`), [...movedTo.keys()].sort().map((h) => `placement:${h}`));
  for (const r of chairman) assert.equal((JSON.parse(r.value!) as { leaf: string }).leaf, movedTo.get(r.entity), r.entity);
});
