// The bench's latency proxy in front of a real ZooKeeper and the simulator's
// chairman and root scheduler: a ZooKeeper session opens through it (the
// connect string names the proxy's port), and treesnap's collector and the
// original algorithm both read the whole cluster through it, as on loopback.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { baselineIntrospection } from '../../bench/baseline-introspection.js';
import { startLatencyProxy, type LatencyProxy } from '../../bench/latency-proxy.js';
import { PreciseClock } from '../../bench/precise-clock.js';
import { collect } from '../../src/collect/collect.js';
import { parseConnectString } from '../../src/sources/zookeeper/connection.js';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { freshChroot, zkBase } from '../support/zookeeper.js';

const HOSTS = 40;
const RTT_MS = 1;

describe('collecting through latency proxies', () => {
  let cluster: SimulatedCluster;
  let clock: PreciseClock;
  const proxies: Record<'zk' | 'chairman' | 'root', LatencyProxy | null> = { zk: null, chairman: null, root: null };
  let proxiedZk = '';

  before(async () => {
    const { connectString, chroot } = await freshChroot('latency');
    cluster = await startSimulatedCluster({ zk: connectString, hosts: HOSTS, fanout: 8 });
    clock = new PreciseClock();
    const first = parseConnectString(zkBase());
    assert.ok(first.ok);
    const server = first.value.servers[0]!;
    proxies.zk = await startLatencyProxy({ target: server, rttMs: RTT_MS, clock });
    proxies.chairman = await startLatencyProxy({ target: cluster.chairman, rttMs: RTT_MS, clock });
    proxies.root = await startLatencyProxy({ target: cluster.rootScheduler, rttMs: RTT_MS, clock });
    proxiedZk = `${proxies.zk.endpoint.host}:${proxies.zk.endpoint.port}${chroot}`;
  });

  after(async () => {
    for (const p of Object.values(proxies)) await p?.close();
    await clock?.close();
    await cluster?.stop({ clean: true });
  });

  test("treesnap's collector reads every source through the proxies", async () => {
    const obs = await collect({
      zk: proxiedZk,
      chairman: proxies.chairman!.endpoint,
      root: proxies.root!.endpoint,
      connectTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      probeTimeoutMs: 10_000,
      probeConcurrency: 64,
      probeMode: 'connect',
    });
    assert.ok(proxies.zk!.accepted >= 1, 'the ZooKeeper session did not go through the proxy');
    assert.ok(proxies.chairman!.accepted >= 1 && proxies.root!.accepted >= 1, 'the RPCs did not go through the proxies');
    for (const source of [obs.services, obs.roles, obs.hosts, obs.missing, obs.chairman, obs.root, obs.status, obs.agents]) {
      assert.ok(source.result.ok, `a source failed through the proxy: ${JSON.stringify(source.result)}`);
    }
    // Both services are read at once now; the reading keeps the order it always had.
    assert.ok(obs.services.result.ok);
    assert.deepEqual(obs.services.result.value.map((v) => v.service), ['chairman', 'root-scheduler']);
    const truth = cluster.truth();
    assert.ok(obs.roles.result.ok && obs.hosts.result.ok && obs.chairman.result.ok);
    assert.equal(obs.roles.result.value.tree.leaves.length, truth.tree.leaves.length);
    assert.equal(obs.hosts.result.value.hosts.length, HOSTS);
    assert.equal(obs.chairman.result.value.leaves.length, truth.tree.leaves.length);
  });

  test('the original algorithm reads every source through the proxies', async () => {
    const before = proxies.zk!.accepted;
    const r = await baselineIntrospection(proxiedZk, { chairman: proxies.chairman!.endpoint, root: proxies.root!.endpoint });
    assert.equal(proxies.zk!.accepted, before + 1);
    assert.equal(r.counts.registered, HOSTS);
    assert.equal(r.counts.hosts, HOSTS);
    assert.equal(r.counts.online, HOSTS + 1);
  });
});
