// The original introspection tool's integration test (TestTreeIntrospection,
// ../shared/seed/test_tree_introspection.txt), case by case, against a real
// ZooKeeper and the Photon-compatible simulator over real Thrift sockets.
// Assertions are the seed's, or stronger where it checked nothing.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, test } from 'node:test';
import photon from '../../src/generated/thrift/photon_types.js';
import { ROOT_SCHEDULER_ID, type Endpoint } from '../../src/model/ids.js';
import type { SchedulerTree } from '../../src/model/tree.js';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { probeStatus } from '../../src/sources/probe/probe-status.js';
import { configureHost, getHostConfig, getLeafScheduler } from '../../src/sources/thrift/agent-client.js';
import { registerHost, reportMissing } from '../support/chairman-admin-client.js';
import { getChairmanSchedulers } from '../../src/sources/thrift/chairman-client.js';
import { chairmanTree } from '../../src/sources/thrift/chairman-tree.js';
import { getRootSchedulers } from '../../src/sources/thrift/root-scheduler-client.js';
import { rootChildren } from '../../src/sources/thrift/root-children.js';
import { connectZookeeper } from '../../src/sources/zookeeper/connection.js';
import { readMissingHosts } from '../../src/sources/zookeeper/read-missing-hosts.js';
import { readRegisteredHosts } from '../../src/sources/zookeeper/read-registered-hosts.js';
import { readServiceMembers } from '../../src/sources/zookeeper/read-service-members.js';
import { readZkTree } from '../../src/sources/zookeeper/read-zk-tree.js';
import type { ZkReader } from '../../src/sources/zookeeper/zk-reader.js';
import { waitFor } from '../support/wait-for.js';
import { freshChroot } from '../support/zookeeper.js';

const RPC = { connectTimeoutMs: 2000, callTimeoutMs: 5000 };
const CHAIRMAN_SERVICE = '/services/chairman';
const ROOT_SCHEDULER_SERVICE = '/services/root-scheduler';
const LEAF_FANOUT = 2;

function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: { kind: string; message: string } | string }): T {
  if (!r.ok) assert.fail(typeof r.error === 'string' ? r.error : `${r.error.kind}: ${r.error.message}`);
  return r.value;
}

async function leader(zk: ZkReader, path: string): Promise<Endpoint | null> {
  return unwrap(await readServiceMembers(zk, path)).leader;
}

async function rootChildCount(cluster: SimulatedCluster): Promise<number> {
  const reply = await getRootSchedulers(cluster.rootScheduler, RPC);
  return reply.ok ? unwrap(rootChildren(reply.value)).length : -1;
}

/** The seed's _wait_for_configuration(root_sch_client, n). */
function waitForConfiguration(cluster: SimulatedCluster, leaves: number): Promise<true> {
  return waitFor(`root scheduler configured with ${leaves} leaves`, async () => (await rootChildCount(cluster)) === leaves || null);
}

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** The seed's _check_tree: leaves are the agents split by fanout, in registration order. */
function checkTree(root: SchedulerTree, rootAddress: Endpoint, fanout: number, agents: { id: string; address: Endpoint }[]): void {
  const expected: (typeof agents)[] = [];
  for (let i = 0; i < agents.length; i += fanout) expected.push(agents.slice(i, i + fanout));
  assert.deepEqual(root.rootAddress, rootAddress);
  assert.equal(root.leaves.length, expected.length);
  const byOwner = new Map(expected.map((leaf) => [leaf[0]!.id, leaf]));
  for (const leaf of root.leaves) {
    assert.ok(leaf.owner, `leaf ${leaf.id} has an owner`);
    const want = byOwner.get(leaf.owner);
    assert.ok(want, `leaf owner ${leaf.owner} is the first agent of a fanout group`);
    assert.deepEqual(leaf.address, want[0]!.address);
    assert.deepEqual(
      leaf.hosts.map((h) => ({ id: h.id, address: h.address })).sort((a, b) => (a.id < b.id ? -1 : 1)),
      [...want].sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    assert.ok(leaf.hosts.some((h) => h.id === leaf.owner), 'the owner is one of the leaf hosts');
  }
}

describe('TestTreeIntrospection (seed)', () => {
  let cluster: SimulatedCluster;
  let zk: ZkReader;

  beforeEach(async () => {
    const { connectString } = await freshChroot('seed');
    cluster = await startSimulatedCluster({ zk: connectString, hosts: 0, fanout: LEAF_FANOUT });
    zk = unwrap(await connectZookeeper(connectString, { connectTimeoutMs: 5000, requestTimeoutMs: 5000 }));
    // _wait_on_code(get_schedulers, OK) for both services
    await waitFor('chairman answers', async () => (await getChairmanSchedulers(cluster.chairman, RPC)).ok);
    await waitFor('root scheduler answers', async () => (await getRootSchedulers(cluster.rootScheduler, RPC)).ok);
  });

  afterEach(async () => {
    await zk.close();
    await cluster.stop({ clean: true });
  });

  async function startAgents(count: number): Promise<{ id: string; address: Endpoint }[]> {
    const ids = unwrap(await cluster.addAgents(count));
    const truth = cluster.truth();
    return ids.map((id) => ({ id, address: truth.agents.get(id)!.endpoint }));
  }

  test('test_get_service_leader', async () => {
    assert.deepEqual(await leader(zk, CHAIRMAN_SERVICE), cluster.chairman);
    await cluster.stopChairman();
    await waitFor('chairman member to leave', async () => unwrap(await readServiceMembers(zk, CHAIRMAN_SERVICE)).members.length === 0);
    assert.equal(await leader(zk, CHAIRMAN_SERVICE), null);
  });

  test('test_get_root_scheduler', async () => {
    const rootAddress = await leader(zk, ROOT_SCHEDULER_SERVICE);
    assert.deepEqual(rootAddress, cluster.rootScheduler);
    const empty = unwrap(rootChildren(unwrap(await getRootSchedulers(rootAddress!, RPC))));
    assert.equal(empty.length, 0);

    const [agent] = await startAgents(1);
    await waitForConfiguration(cluster, 1);
    const children = unwrap(rootChildren(unwrap(await getRootSchedulers(rootAddress!, RPC))));
    assert.equal(children.length, 1);
    const agentId = unwrap(await getHostConfig(agent!.address, RPC)).agent_id;
    assert.equal(children[0]!.owner, agentId);
    assert.deepEqual(children[0]!.address, agent!.address);
    assert.notEqual(children[0]!.id, ROOT_SCHEDULER_ID);

    await cluster.stopRootScheduler();
    await waitFor('root member to leave', async () => unwrap(await readServiceMembers(zk, ROOT_SCHEDULER_SERVICE)).members.length === 0);
    // Stronger than the seed: a stopped root scheduler is an error, never an empty root.
    const gone = await getRootSchedulers(rootAddress!, RPC);
    assert.equal(gone.ok, false);
    if (!gone.ok) assert.equal(gone.error.kind, 'unreachable');
  });

  test('test_get_leaf_scheduler', async () => {
    // Agent not online: an error, not a leaf.
    const offline = await getLeafScheduler({ host: '127.0.0.1', port: await closedPort() }, RPC);
    assert.equal(offline.ok, false);

    // Online but never configured (its chairman is elsewhere): no leaf.
    const [id] = unwrap(await cluster.addAgents(1, { register: false }));
    const address = cluster.truth().agents.get(id!)!.endpoint;
    assert.equal(unwrap(await getLeafScheduler(address, RPC)), null);

    // Configure it by hand as the owner of a one-host leaf.
    const hostConfig = unwrap(await getHostConfig(address, RPC));
    const leafId = '6f3b2c1a-leaf-scheduler';
    const role = new photon.SchedulerRole({
      id: leafId,
      parent_id: 'parent-scheduler',
      hosts: [hostConfig.agent_id],
      host_children: [new photon.ChildInfo({ id: hostConfig.agent_id, address: address.host, port: address.port })],
    });
    const resp = unwrap(await configureHost(address, new photon.ConfigureRequest({ scheduler: leafId, roles: new photon.Roles({ schedulers: [role] }) }), RPC));
    assert.equal(resp.result, photon.ConfigureResultCode.OK);

    const leaf = unwrap(await getLeafScheduler(address, RPC));
    assert.ok(leaf);
    assert.equal(leaf.id, leafId);
    assert.equal(leaf.hosts.length, 1);
    assert.equal(leaf.owner, hostConfig.agent_id);
    assert.deepEqual(leaf.address, address);
    assert.deepEqual(leaf.hosts[0], { id: hostConfig.agent_id, address });
  });

  test('test_get_hierarchy_from_zk', async () => {
    const agents = await startAgents(3);
    await waitForConfiguration(cluster, 2);
    const rootAddress = await leader(zk, ROOT_SCHEDULER_SERVICE);
    const reading = unwrap(await readZkTree(zk, rootAddress));
    assert.deepEqual(reading.errors, []);
    checkTree(reading.tree, cluster.rootScheduler, LEAF_FANOUT, agents);
  });

  test('test_get_hierarchy_from_chairman', async () => {
    const agents = await startAgents(3);
    await waitForConfiguration(cluster, 2);
    const reply = unwrap(await getChairmanSchedulers(cluster.chairman, RPC));
    checkTree(unwrap(chairmanTree(reply, cluster.rootScheduler)), cluster.rootScheduler, LEAF_FANOUT, agents);
  });

  test('test_update_status', async () => {
    const [agent] = await startAgents(1);
    await waitForConfiguration(cluster, 1);
    const tree = unwrap(await readZkTree(zk, await leader(zk, ROOT_SCHEDULER_SERVICE))).tree;
    const ownerAddress = tree.leaves[0]!.address;
    assert.equal(tree.leaves.length, 1);
    const status = async (ep: Endpoint | null) => (await probeStatus(ep, { timeoutMs: 2000, mode: 'connect' })).status;

    assert.equal(await status(tree.rootAddress), 'ONLINE');
    assert.equal(await status(ownerAddress), 'ONLINE');

    await cluster.stopRootScheduler();
    unwrap(await cluster.stopAgent(agent!.id));
    assert.equal(await status(tree.rootAddress), 'OFFLINE');
    assert.equal(await status(ownerAddress), 'OFFLINE');

    unwrap(await cluster.startRootScheduler());
    unwrap(await cluster.startAgent(agent!.id));
    await waitFor('root scheduler answers', async () => (await getRootSchedulers(cluster.rootScheduler, RPC)).ok);
    assert.equal(await status(tree.rootAddress), 'ONLINE');
    assert.equal(await status(ownerAddress), 'ONLINE');
    // A node with no known address is unknown, not offline.
    assert.equal(await status(null), 'UNKNOWN');
  });

  test('test_get_hosts_from_zk', async () => {
    assert.equal(unwrap(await readRegisteredHosts(zk)).hosts.length, 0);
    const dsid = '0d0c7d1e-image-datastore';
    const request = (id: string, port: number) =>
      new photon.RegisterHostRequest({
        id,
        config: new photon.HostConfig({
          agent_id: id,
          availability_zone: 'az1',
          datastores: [new photon.Datastore({ id: dsid, name: 'ds1', type: photon.DatastoreType.SHARED_VMFS })],
          address: new photon.ServerAddress({ host: 'localhost', port }),
          networks: [new photon.Network({ id: 'nw1', types: [photon.NetworkType.VM] })],
          image_datastore_ids: [dsid],
        }),
      });
    for (const req of [request('host1', 12345), request('host2', 12346)]) {
      const resp = unwrap(await registerHost(cluster.chairman, req, RPC));
      assert.equal(resp.result, photon.RegisterHostResultCode.OK);
    }
    const hosts = new Map(unwrap(await readRegisteredHosts(zk)).hosts.map((h) => [h.id, h]));
    assert.equal(hosts.size, 2);
    assert.deepEqual(hosts.get('host1')!.address, { host: 'localhost', port: 12345 });
    assert.deepEqual(hosts.get('host2')!.address, { host: 'localhost', port: 12346 });
    // Stronger than the seed: every HostConfig field round-trips.
    const h1 = hosts.get('host1')!;
    assert.equal(h1.availabilityZone, 'az1');
    assert.deepEqual(h1.datastores, [{ id: dsid, name: 'ds1', type: 'SHARED_VMFS', tags: [] }]);
    assert.deepEqual(h1.networks, [{ id: 'nw1', types: ['VM'] }]);
    assert.deepEqual(h1.imageDatastoreIds, [dsid]);
  });

  test('test_get_missing_hosts_from_zk', async () => {
    assert.deepEqual(unwrap(await readMissingHosts(zk)), []);
    const missingHosts = ['h2', 'h3'];
    const resp = unwrap(
      await reportMissing(cluster.chairman, new photon.ReportMissingRequest({ scheduler_id: 'host1', hosts: missingHosts }), RPC),
    );
    assert.equal(resp.result, photon.ReportMissingResultCode.OK);
    assert.deepEqual(unwrap(await readMissingHosts(zk)), missingHosts);
  });
});
