// The collector end to end: the simulator over real Thrift and a real
// ZooKeeper, recorded into a real SQLite file, read back through the store.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CollectOptions } from '../../src/collect/collect.js';
import { runCollection } from '../../src/collect/run-collection.js';
import type { SchedulerTree } from '../../src/model/tree.js';
import { loadSnapshotView } from '../../src/query/load-snapshot.js';
import type { TreeView } from '../../src/query/snapshot-view.js';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { snapshotById } from '../../src/store/snapshot-index.js';
import { snapshotDigest } from '../support/snapshot-digest.js';
import { TREESNAP_BIN } from '../support/treesnap-cli.js';
import { freshChroot } from '../support/zookeeper.js';

function options(zk: string): CollectOptions {
  return { zk, connectTimeoutMs: 3000, requestTimeoutMs: 3000, probeTimeoutMs: 1000, probeConcurrency: 32, probeMode: 'connect' };
}

function versionRows(db: Db): number {
  return (db.$client.prepare('SELECT count(*) AS n FROM fact_versions').get() as { n: number }).n;
}

function shape(t: SchedulerTree | TreeView) {
  return t.leaves
    .map((l) => ({ id: l.id, owner: l.owner, address: l.address, hosts: l.hosts.map((h) => ({ id: h.id, address: h.address })).sort((a, b) => (a.id < b.id ? -1 : 1)) }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

describe('collect against the simulator', () => {
  let cluster: SimulatedCluster;
  let dir: string;
  let db: Db;

  before(async () => {
    const { connectString } = await freshChroot('collect');
    cluster = await startSimulatedCluster({ zk: connectString, hosts: 40, fanout: 8 });
    dir = mkdtempSync(join(tmpdir(), 'treesnap-collect-'));
    db = openDatabase(join(dir, 'history.db'));
  });

  after(async () => {
    db.$client.close();
    await cluster.stop({ clean: true });
    rmSync(dir, { recursive: true, force: true });
  });

  test('a collection matches the simulator truth for every source', async () => {
    const summary = await runCollection(db, options(cluster.zk));
    assert.deepEqual(summary.failedSources, []);
    const truth = cluster.truth();
    const view = loadSnapshotView(db, snapshotById(db, summary.snapshotId)!);
    assert.deepEqual(shape(view.zkTree.value), shape(truth.tree));
    assert.deepEqual(shape(view.chairmanTree.value), shape(truth.tree));
    assert.deepEqual(view.zkTree.value.rootAddress, cluster.rootScheduler);
    assert.deepEqual(
      view.rootChildren.value,
      [...truth.rootScheduler.children].sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    assert.deepEqual(
      view.registrations.value,
      [...truth.registrations.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    assert.deepEqual(view.missing.value, [...truth.missing].sort());
    const leaders = Object.fromEntries(view.services.value.map((s) => [s.service, s.leader]));
    assert.deepEqual(leaders, { chairman: cluster.chairman, 'root-scheduler': cluster.rootScheduler });
    const statuses = Object.values(view.status.value).map((s) => s.status);
    assert.equal(statuses.length, 41);
    assert.ok(statuses.every((s) => s === 'ONLINE'));
  });

  test('an unchanged second collection adds no fact rows', async () => {
    await runCollection(db, options(cluster.zk));
    const before = versionRows(db);
    const again = await runCollection(db, options(cluster.zk));
    assert.equal(versionRows(db), before);
    assert.ok(Object.values(again.sources).every((s) => s.changes === 0));
  });

  test('a changed host changes only its own rows', async () => {
    const victim = cluster.hostIds[5]!;
    const missingOne = cluster.hostIds[6]!;
    assert.equal((await cluster.stopAgent(victim)).ok, true);
    assert.equal((await cluster.reportMissing([missingOne])).ok, true);
    const s = await runCollection(db, options(cluster.zk));
    const rows = db.$client
      .prepare('SELECT k.source, k.kind, k.entity FROM fact_versions v JOIN fact_keys k ON k.id = v.key_id WHERE v.from_snapshot = ? ORDER BY k.source, k.entity')
      .all(s.snapshotId);
    assert.deepEqual(rows, [
      { source: 'status', kind: 'status', entity: victim },
      { source: 'zk.missing', kind: 'missing', entity: missingOne },
      // ZooKeeper's Stat records of the nodes that changed: /missing gained a child, which is new.
      { source: 'zk.stat', kind: 'stat', entity: '/missing' },
      { source: 'zk.stat', kind: 'stat', entity: `/missing/${missingOne}` },
    ]);
    assert.deepEqual(s.newlyOffline, [victim]);
    assert.deepEqual(s.newlyMissing, [missingOne]);
    assert.equal((await cluster.startAgent(victim)).ok, true);
    assert.equal((await cluster.reportResurrected([missingOne])).ok, true);
  });

  test('a dead chairman is unknown in that snapshot, and its hosts are never reported removed', async () => {
    const good = await runCollection(db, options(cluster.zk));
    await cluster.stopChairman();
    try {
      const down = await runCollection(db, options(cluster.zk));
      assert.deepEqual(down.failedSources, ['chairman']);
      assert.equal(down.sources.find((x) => x.source === 'chairman')!.changes, 0);
      const view = loadSnapshotView(db, snapshotById(db, down.snapshotId)!);
      assert.equal(view.chairmanTree.known, false);
      assert.equal(view.chairmanTree.lastOkSnapshot, good.snapshotId);
      const last = loadSnapshotView(db, snapshotById(db, good.snapshotId)!);
      assert.deepEqual(shape(view.chairmanTree.value), shape(last.chairmanTree.value), 'last known, not empty');
    } finally {
      assert.equal((await cluster.startChairman()).ok, true);
    }
    const back = await runCollection(db, options(cluster.zk));
    assert.equal(back.sources.find((x) => x.source === 'chairman')!.changes, 0, 'recovery is not "everything came back"');
  });

  test('a corrupt /hosts value is an error for that node only; a hung agent only for itself', async () => {
    const corrupt = cluster.hostIds[10]!;
    const hung = cluster.hostIds[11]!;
    assert.equal((await cluster.writeCorruptValue(`/hosts/${corrupt}`)).ok, true);
    assert.equal((await cluster.hangAgent(hung)).ok, true);
    const s = await runCollection(db, options(cluster.zk));
    assert.deepEqual(s.failedSources, []);
    const view = loadSnapshotView(db, snapshotById(db, s.snapshotId)!);
    assert.deepEqual(view.nodeErrors.map((e) => [e.path, e.kind]), [[`/hosts/${corrupt}`, 'decode']]);
    assert.ok(view.registrations.value.some((r) => r.id === corrupt), 'its last known registration is kept');
    assert.equal(view.registrations.value.length, 40);
    // connect mode: a hung agent still accepts TCP, so it is ONLINE by the original rule
    assert.equal(view.status.value[hung]!.status, 'ONLINE');
    assert.equal((await cluster.startAgent(hung)).ok, true);
  });
});

test('killing `treesnap collect` mid-run leaves the history intact', async () => {
  const { connectString } = await freshChroot('kill');
  const cluster = await startSimulatedCluster({ zk: connectString, hosts: 300, fanout: 16 });
  const dir = mkdtempSync(join(tmpdir(), 'treesnap-kill-'));
  const path = join(dir, 'history.db');
  try {
    const db = openDatabase(path);
    const first = await runCollection(db, options(connectString));
    const digest = snapshotDigest(db, first.snapshotId);
    db.$client.close();
    for (let round = 0; round < 5; round++) {
      const child = spawn(TREESNAP_BIN, ['collect', '--zk', connectString, '--db', path, '--json'], { stdio: 'ignore' });
      // Listen before killing: a collection that ends before the kill has already exited.
      const exited = new Promise((r) => child.on('exit', r));
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 600));
      child.kill('SIGKILL');
      await exited;
    }
    const after = openDatabase(path);
    assert.equal(after.$client.pragma('integrity_check', { simple: true }), 'ok');
    assert.equal(snapshotDigest(after, first.snapshotId), digest);
    after.$client.close();
  } finally {
    await cluster.stop({ clean: true });
    rmSync(dir, { recursive: true, force: true });
  }
});
