// The collector end to end: the simulator over real Thrift and a real
// ZooKeeper, recorded into a real SQLite file, read back through the store.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CollectOptions } from '../../src/collect/collect.js';
import { runCollection } from '../../src/collect/run-collection.js';
import type { SchedulerTree } from '../../src/model/tree.js';
import { loadSnapshotView } from '../../src/query/load-snapshot.js';
import type { TreeView } from '../../src/query/snapshot-view.js';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { openDatabase, type SqliteHistory } from '../../src/store/open-database.js';
import { readSourceState } from '../../src/store/read-source-state.js';
import { snapshotById, sourceOutcomes } from '../../src/store/snapshot-index.js';
import { SOURCES } from '../../src/snapshot/source-name.js';
import { snapshotDigest } from '../support/snapshot-digest.js';
import { TREESNAP_BIN } from '../support/treesnap-cli.js';
import { waitFor } from '../support/wait-for.js';
import { freshChroot } from '../support/zookeeper.js';

function options(zk: string): CollectOptions {
  return { zk, connectTimeoutMs: 3000, requestTimeoutMs: 3000, probeTimeoutMs: 1000, probeConcurrency: 32, probeMode: 'connect' };
}

function versionRows(db: SqliteHistory): number {
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
  let db: SqliteHistory;

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

/** Another connection's view: BEGIN IMMEDIATE fails at once (busy timeout 0) while a writer holds the write lock. */
function writeLockHeld(probe: Database.Database): boolean {
  try {
    probe.exec('BEGIN IMMEDIATE');
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw e;
  }
  probe.exec('ROLLBACK');
  return false;
}

/** The process holds a socket: it has started reading the cluster, so it is past opening the database. */
function hasSocket(pid: number): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:');
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/** The process is stopped (SIGSTOP has taken effect), from /proc/PID/stat. */
function isStopped(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('T');
  } catch {
    return false;
  }
}

const committedSnapshots = (probe: Database.Database): number => probe.prepare('SELECT count(*) FROM snapshots').pluck().get() as number;

/**
 * No snapshot is half there: each has an outcome for every source, and (the cluster did not
 * change) reads the same ZooKeeper, chairman and root state as the first.
 */
function assertEverySnapshotWhole(db: SqliteHistory, firstId: number): void {
  const stable = SOURCES.filter((s) => s !== 'status');
  const expected = stable.map((s) => readSourceState(db, s, firstId));
  const ids = db.$client.prepare('SELECT id FROM snapshots ORDER BY id').pluck().all() as number[];
  for (const id of ids) {
    assert.deepEqual(sourceOutcomes(db, id).map((o) => o.source).sort(), [...SOURCES].sort(), `snapshot #${id} has every source's outcome`);
    assert.deepEqual(stable.map((s) => readSourceState(db, s, id)), expected, `snapshot #${id} reads whole`);
  }
}

type KillLanded = 'in the snapshot write' | 'in a later write' | 'missed';

/**
 * Runs one real `treesnap collect` and SIGKILLs it while it holds the write lock after it began
 * reading the cluster: seen busy from another connection, then frozen with SIGSTOP and seen
 * still holding the lock (so the kill cannot land after a commit). Which write it interrupted:
 * the snapshot's own when no new snapshot is committed yet, else a later one (the drift record).
 */
async function killDuringWrite(path: string, zk: string, probe: Database.Database): Promise<KillLanded> {
  const before = committedSnapshots(probe);
  const child = spawn(TREESNAP_BIN, ['collect', '--zk', zk, '--db', path, '--json'], { stdio: 'ignore' });
  const pid = child.pid!;
  let ended = false;
  const exited = new Promise((r) => child.on('exit', r)).then(() => (ended = true));
  let collecting = false;
  try {
    while (!ended) {
      collecting ||= hasSocket(pid);
      if (collecting && writeLockHeld(probe)) {
        child.kill('SIGSTOP');
        await waitFor('the collect to stop', async () => ended || isStopped(pid));
        if (!ended && writeLockHeld(probe)) {
          const committed = committedSnapshots(probe);
          child.kill('SIGKILL');
          await exited;
          return committed === before ? 'in the snapshot write' : 'in a later write';
        }
        child.kill('SIGCONT'); // it committed before the stop took effect: try again at its next write
      }
      await new Promise((r) => setImmediate(r));
    }
    return 'missed';
  } finally {
    if (!ended) child.kill('SIGKILL');
    await exited;
  }
}

test('killing `treesnap collect` while it writes leaves the history intact and the half-written snapshot absent', { timeout: 600_000 }, async () => {
  const { connectString } = await freshChroot('kill');
  const cluster = await startSimulatedCluster({ zk: connectString, hosts: 300, fanout: 16 });
  const dir = mkdtempSync(join(tmpdir(), 'treesnap-kill-'));
  const path = join(dir, 'history.db');
  let probe: Database.Database | undefined;
  try {
    const db = openDatabase(path);
    const first = await runCollection(db, options(connectString));
    const digest = snapshotDigest(db, first.snapshotId);
    db.$client.close();
    probe = new Database(path, { timeout: 0, fileMustExist: true });
    const landed: KillLanded[] = [];
    // Whether a round catches the snapshot's own write is up to the scheduler: rounds until 3 do.
    for (let round = 0; round < 40 && landed.filter((l) => l === 'in the snapshot write').length < 3; round++) {
      const before = committedSnapshots(probe);
      const where = await killDuringWrite(path, connectString, probe);
      landed.push(where);
      if (where === 'in the snapshot write') assert.equal(committedSnapshots(probe), before, 'the half-written snapshot is absent');
    }
    assert.ok(landed.filter((l) => l === 'in the snapshot write').length >= 3, `kills that landed in the snapshot write, of 40 rounds: ${landed.join(', ')}`);
    const after = openDatabase(path);
    assert.equal(after.$client.pragma('integrity_check', { simple: true }), 'ok');
    assert.equal(snapshotDigest(after, first.snapshotId), digest);
    assertEverySnapshotWhole(after, first.snapshotId);
    after.$client.close();
  } finally {
    probe?.close();
    await cluster.stop({ clean: true });
    rmSync(dir, { recursive: true, force: true });
  }
});
