// ZooKeeper as a fault source, on a server of the test's own (stopped and
// restarted on the same port and data): a very large /hosts and /missing read
// whole; ZooKeeper down when a collection starts; ZooKeeper restarted in the
// middle of a collection. In every case each source is either read whole or
// recorded unknown with its reason, and the facts last known are kept.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startZookeeper, type ZkServer } from '../../scripts/zookeeper-server.js';
import type { CollectOptions } from '../../src/collect/collect.js';
import { runCollection } from '../../src/collect/run-collection.js';
import photon from '../../src/generated/thrift/photon_types.js';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { SOURCES, type SourceName } from '../../src/snapshot/source-name.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { readSourceState } from '../../src/store/read-source-state.js';
import { sourceOutcomes } from '../../src/store/snapshot-index.js';
import { encodeBinary } from '../../src/wire/thrift-binary.js';
import { refusedEndpoint } from '../support/hostile-peers.js';
import { snapshotDigest } from '../support/snapshot-digest.js';
import { treesnap } from '../support/treesnap-cli.js';
import { connectWriter } from '../support/zk-write.js';

const SIM_HOSTS = 20;
const EXTRA = 10_000;
const CHROOT = '/big';

let dir: string;
let zkDataDir: string;
let zk: ZkServer;
let sim: SimulatedCluster | undefined;
let dbPath: string;
let db: Db;

function connectString(): string {
  return `${zk.connectString}${CHROOT}`;
}

function options(): CollectOptions {
  return { zk: connectString(), connectTimeoutMs: 3000, requestTimeoutMs: 3000, probeTimeoutMs: 1000, probeConcurrency: 64, probeMode: 'connect' };
}

function hostConfig(id: string, port: number): Buffer {
  return encodeBinary(
    new photon.HostConfig({
      agent_id: id,
      availability_zone: 'az-big',
      datastores: [new photon.Datastore({ id: `ds-${id}` })],
      address: new photon.ServerAddress({ host: '127.0.0.1', port }),
    }),
  );
}

/** Every source's facts as of a snapshot (outcomes left out). */
function factState(snapshotId: number): string {
  return JSON.stringify(SOURCES.map((s) => readSourceState(db, s, snapshotId).sort((a, b) => (a.kind + a.entity < b.kind + b.entity ? -1 : 1))));
}

function versionRowsOf(snapshotId: number): number {
  return (db.$client.prepare('SELECT count(*) AS n FROM fact_versions WHERE from_snapshot = ?').get(snapshotId) as { n: number }).n;
}

function outcomes(snapshotId: number): Map<SourceName, { ok: boolean; errorKind: string | null; errorMessage: string | null; endpoint: string | null; stats: Record<string, number> }> {
  return new Map(sourceOutcomes(db, snapshotId).map((o) => [o.source, o]));
}

/** A ZooKeeper four-letter-word answer, e.g. mntr. */
function fourLetter(port: number, word: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('connect', () => socket.write(word));
    socket.on('data', (d: Buffer) => (text += d.toString()));
    socket.on('error', () => resolve(''));
    socket.on('close', () => resolve(text));
  });
}

/** Requests the server has received so far (every client's). */
async function packetsReceived(port: number): Promise<number> {
  const m = /zk_packets_received\s+(\d+)/.exec(await fourLetter(port, 'mntr'));
  return m ? Number(m[1]) : -1;
}

/** Resolves once the server hands out sessions again (it answers ruok a little before). */
async function serving(): Promise<void> {
  const w = await connectWriter(connectString());
  w.close();
}

let extraIds: string[] = [];
let good = 0; // the last snapshot read whole

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'treesnap-zkout-'));
  zkDataDir = join(dir, 'zk');
  mkdirSync(zkDataDir);
  zk = await startZookeeper({ dataDir: zkDataDir });
  sim = await startSimulatedCluster({ zk: connectString(), hosts: SIM_HOSTS, fanout: 8 });
  dbPath = join(dir, 'history.db');
  db = openDatabase(dbPath);
});

after(async () => {
  db?.$client.close();
  await sim?.stop({ clean: false });
  await zk?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('ZooKeeper faults, in order on one server', () => {
  test(`/hosts with ${EXTRA + SIM_HOSTS} children and /missing with ${EXTRA} are read and recorded whole`, async (t) => {
    const w = await connectWriter(connectString());
    try {
      const refused = (await refusedEndpoint()).port;
      extraIds = Array.from({ length: EXTRA }, (_, i) => `big-${String(i).padStart(5, '0')}`);
      const t0 = performance.now();
      await w.putMany(extraIds.map((id) => [`/hosts/${id}`, hostConfig(id, refused)] as const));
      await w.putMany(extraIds.map((id) => [`/missing/${id}`, Buffer.alloc(0)] as const));
      t.diagnostic(`wrote ${2 * EXTRA} nodes in ${Math.round(performance.now() - t0)} ms`);
    } finally {
      w.close();
    }
    const t0 = performance.now();
    const s = await runCollection(db, options());
    t.diagnostic(`collection of ${EXTRA + SIM_HOSTS} registrations, ${EXTRA} missing: ${Math.round(performance.now() - t0)} ms`);
    assert.deepEqual(s.failedSources, []);
    const count = Object.fromEntries(s.sources.map((x) => [x.source, x.count]));
    assert.equal(count['zk.hosts'], EXTRA + SIM_HOSTS);
    assert.equal(count['zk.missing'], EXTRA);
    assert.equal(count.status, EXTRA + SIM_HOSTS + 1, 'every registered host probed, and the root');

    const registrations = new Map(readSourceState(db, 'zk.hosts', s.snapshotId).map((f) => [f.entity, JSON.parse(f.value) as { availabilityZone: string; datastores: { id: string }[] }]));
    assert.equal(registrations.size, EXTRA + SIM_HOSTS);
    for (const id of extraIds) {
      const r = registrations.get(id);
      assert.equal(r?.availabilityZone, 'az-big', id);
      assert.deepEqual(r.datastores.map((d) => d.id), [`ds-${id}`]);
    }
    const missing = readSourceState(db, 'zk.missing', s.snapshotId).map((f) => f.entity).sort();
    assert.deepEqual(missing, extraIds);
    good = s.snapshotId;
  });

  test('ZooKeeper down when a collection starts: its sources unknown, the chairman, the root scheduler and the probes read at their last addresses, exit 4, nothing else changes', async () => {
    assert.ok(good > 0, 'needs the first test');
    const digestBefore = snapshotDigest(db, good);
    const statePort = zk.port;
    const fresh = join(dir, 'fresh.db');
    await zk.stop();
    let r;
    let first;
    try {
      r = await treesnap(['collect', '--zk', `127.0.0.1:${statePort}${CHROOT}`, '--db', dbPath, '--connect-timeout', '1s', '--json']);
      // A history that never read ZooKeeper has no address to fall back on: every source unknown.
      first = await treesnap(['collect', '--zk', `127.0.0.1:${statePort}${CHROOT}`, '--db', fresh, '--connect-timeout', '1s', '--json']);
    } finally {
      zk = await startZookeeper({ port: statePort, dataDir: zkDataDir });
    }
    assert.equal(r.code, 4, r.stderr);
    const summary = JSON.parse(r.stdout) as { snapshotId: number; failedSources: string[] };
    const zkSources = SOURCES.filter((s) => s.startsWith('zk.'));
    assert.deepEqual([...summary.failedSources].sort(), [...zkSources].sort());
    const o = outcomes(summary.snapshotId);
    const last = outcomes(good);
    for (const source of zkSources) {
      const x = o.get(source)!;
      assert.equal(x.ok, false, source);
      assert.equal(x.errorKind, 'timeout', source);
      assert.match(x.errorMessage!, /no ZooKeeper session .* within 1000 ms/, source);
    }
    for (const source of ['chairman', 'root'] as const) {
      const x = o.get(source)!;
      assert.equal(x.ok, true, `${source}: ${x.errorMessage}`);
      assert.equal(x.endpoint, last.get(source)!.endpoint);
      assert.equal(x.stats.address_from_snapshot, good);
    }
    assert.equal(o.get('status')!.ok, true, 'the nodes the chairman knows are probed');
    assert.equal(versionRowsOf(summary.snapshotId), 0, 'no fact changed');
    assert.equal(factState(summary.snapshotId), factState(good), 'everything as last known');
    assert.equal(snapshotDigest(db, good), digestBefore);

    assert.equal(first.code, 5, first.stderr);
    const none = JSON.parse(first.stdout) as { failedSources: string[] };
    assert.deepEqual([...none.failedSources].sort(), [...SOURCES].sort());
    const fdb = openDatabase(fresh, { readonly: true });
    try {
      const fo = new Map(sourceOutcomes(fdb, 1).map((x) => [x.source, x]));
      assert.match(fo.get('chairman')!.errorMessage!, /address unknown: ZooKeeper unreadable/);
    } finally {
      fdb.$client.close();
    }
  });

  test('ZooKeeper restarted in the middle of a collection: it ends within its timeouts, what failed is unknown; the next one recovers', async (t) => {
    assert.ok(good > 0, 'needs the first test');
    const port = zk.port;
    await serving();
    const baseline = await packetsReceived(port);
    const opts = options();
    const startedAt = performance.now();
    const collecting = runCollection(db, opts);
    // Restart the server once the collector's reads are flowing: about a
    // thousand of its 20,000 requests in (the simulator is idle meanwhile).
    const deadline = Date.now() + 15_000;
    while ((await packetsReceived(port)) < baseline + 1000) {
      assert.ok(Date.now() < deadline, 'the collector never got its reads going');
      await new Promise((r) => setTimeout(r, 10));
    }
    await zk.stop();
    const stoppedAt = performance.now();
    const restarting = startZookeeper({ port, dataDir: zkDataDir });
    const s = await collecting;
    const elapsed = performance.now() - startedAt;
    zk = await restarting;
    t.diagnostic(`server stopped ${Math.round(stoppedAt - startedAt)} ms in; collection ended after ${Math.round(elapsed)} ms; failed: ${s.failedSources.join(', ')}`);

    // Bounded by its own timeouts (connect, a request deadline per phase, probes); the 30 s on top
    // only catches a hang, not a slow machine.
    assert.ok(elapsed < opts.connectTimeoutMs + 3 * opts.requestTimeoutMs + 30_000, `took ${Math.round(elapsed)} ms`);
    assert.ok(s.failedSources.some((x) => x.startsWith('zk.')), 'the restart landed inside the ZooKeeper reads');
    const o = outcomes(s.snapshotId);
    for (const source of s.failedSources) {
      const x = o.get(source)!;
      assert.ok(x.errorKind && x.errorMessage, `${source} unknown with a reason`);
      t.diagnostic(`${source}: ${x.errorKind}: ${x.errorMessage}`);
    }
    // The read in flight when the server went away is cut: unreachable, with ZooKeeper's CONNECTION_LOSS.
    const cut = s.failedSources.filter((x) => x.startsWith('zk.')).map((x) => o.get(x)!);
    assert.ok(
      cut.some((x) => x.errorKind === 'unreachable' && /connection lost \(.*CONNECTION_LOSS/.test(x.errorMessage ?? '')),
      `a cut read is unreachable with CONNECTION_LOSS: ${JSON.stringify(cut)}`,
    );
    // Unknown, not empty: /hosts and /missing are exactly as before, read whole or kept.
    assert.equal(readSourceState(db, 'zk.hosts', s.snapshotId).length, EXTRA + SIM_HOSTS);
    assert.deepEqual(readSourceState(db, 'zk.missing', s.snapshotId).map((f) => f.entity).sort(), extraIds);

    const next = await runCollection(db, options());
    assert.deepEqual(next.failedSources, [], 'recovered without a restart of anything but ZooKeeper');
    for (const source of ['zk.roles', 'zk.hosts', 'zk.missing'] as const) {
      assert.equal(JSON.stringify(readSourceState(db, source, next.snapshotId).sort()), JSON.stringify(readSourceState(db, source, good).sort()), source);
    }
  });
});
