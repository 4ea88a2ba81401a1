// The simulator against a real ZooKeeper over real sockets: registration places
// hosts by fanout, writes the exact Photon layout, and every process answers
// over the real wire protocol what the chairman decided.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import AgentControl from '../../src/generated/thrift/AgentControl.js';
import Chairman from '../../src/generated/thrift/Chairman.js';
import Host from '../../src/generated/thrift/Host.js';
import photon from '../../src/generated/thrift/photon_types.js';
import RootScheduler from '../../src/generated/thrift/RootScheduler.js';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { openZkSession, type ZkSession } from '../../src/sim/zk-session.js';
import { decodeBinaryUnchecked } from '../../src/wire/thrift-binary.js';
import { rpc } from '../support/sim-rpc.js';
import { freshChroot } from '../support/zookeeper.js';
import { must } from '../support/must.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;


describe('simulator: registration with fanout 2, hosts A, B, C in that order', () => {
  let cluster: SimulatedCluster;
  let zk: ZkSession;
  let a: string, b: string, c: string;

  before(async () => {
    const { connectString } = await freshChroot('sim');
    // One registration at a time makes registration order the start order.
    cluster = await startSimulatedCluster({ zk: connectString, hosts: 3, fanout: 2, registerConcurrency: 1 });
    [a, b, c] = cluster.hostIds as [string, string, string];
    zk = await must(openZkSession(connectString));
  });

  after(async () => {
    await zk?.close();
    await cluster?.stop();
  });

  it('writes /roles/<owner> for leaves [A, B] (owner A) and [C] (owner C), leaf ids UUIDs', async () => {
    const owners = (await must(zk.children('/roles')))!.sort();
    assert.deepEqual(owners, [a, c].sort());
    const agents = cluster.truth().agents;

    const rolesA = decodeBinaryUnchecked(photon.Roles, (await must(zk.data(`/roles/${a}`)))!);
    assert.equal(rolesA.schedulers?.length, 1);
    const leafAB = rolesA.schedulers![0]!;
    assert.match(leafAB.id, UUID);
    assert.equal(leafAB.parent_id, 'ROOT');
    assert.deepEqual(leafAB.hosts, [a, b]);
    assert.deepEqual(
      leafAB.host_children!.map((ch) => ({ id: ch.id, address: ch.address, port: ch.port })),
      [a, b].map((id) => ({ id, address: '127.0.0.1', port: agents.get(id)!.endpoint.port })),
    );

    const rolesC = decodeBinaryUnchecked(photon.Roles, (await must(zk.data(`/roles/${c}`)))!);
    const leafC = rolesC.schedulers![0]!;
    assert.match(leafC.id, UUID);
    assert.notEqual(leafC.id, leafAB.id);
    assert.deepEqual(leafC.hosts, [c]);
    assert.deepEqual(leafC.host_children!.map((ch) => ch.id), [c]);
  });

  it('writes /hosts/<id> as a HostConfig with the agent address and a realistic config', async () => {
    const ids = (await must(zk.children('/hosts')))!.sort();
    assert.deepEqual(ids, [a, b, c].sort());
    for (const id of ids) {
      const config = decodeBinaryUnchecked(photon.HostConfig, (await must(zk.data(`/hosts/${id}`)))!);
      assert.equal(config.agent_id, id);
      assert.deepEqual({ host: config.address.host, port: config.address.port }, cluster.truth().agents.get(id)!.endpoint);
      assert.ok(config.availability_zone.length > 0);
      assert.ok(config.datastores.length >= 2);
      assert.ok(config.networks && config.networks.length > 0);
      assert.ok(config.image_datastore_ids && config.image_datastore_ids.length > 0);
      assert.ok(config.memory_mb! > 0 && config.cpu_count! > 0);
      assert.equal(config.esx_version, '6.0.0');
      assert.match(config.deployment_id!, UUID);
    }
  });

  it('registers the chairman and the root scheduler as single ephemeral members with their ServerAddress', async () => {
    for (const [service, endpoint] of [
      ['chairman', cluster.chairman],
      ['root-scheduler', cluster.rootScheduler],
    ] as const) {
      const members = (await must(zk.children(`/services/${service}`)))!;
      assert.equal(members.length, 1);
      assert.match(members[0]!, /^node-/);
      const address = decodeBinaryUnchecked(photon.ServerAddress, (await must(zk.data(`/services/${service}/${members[0]}`)))!);
      assert.deepEqual({ host: address.host, port: address.port }, endpoint);
    }
    assert.deepEqual(await must(zk.children('/missing')), []);
  });

  it('answers the chairman get_schedulers with the ROOT entry and one entry per leaf', async () => {
    const reply = await rpc(cluster.chairman, 'Chairman', Chairman.Client, (cl) => cl.get_schedulers(new photon.GetSchedulersRequest()));
    assert.equal(reply.result, photon.GetSchedulersResultCode.OK);
    const [root, ...leaves] = reply.schedulers!;
    assert.equal(root!.role.id, 'ROOT');
    const agents = cluster.truth().agents;
    assert.deepEqual(
      root!.role.scheduler_children!.map((ch) => [ch.owner_host, ch.address, ch.port]),
      [a, c].map((id) => [id, '127.0.0.1', agents.get(id)!.endpoint.port]),
    );
    assert.deepEqual(
      leaves.map((e) => [e.agent, e.role.hosts]),
      [
        [a, [a, b]],
        [c, [c]],
      ],
    );
    assert.deepEqual(
      leaves.map((e) => e.role.id),
      root!.role.scheduler_children!.map((ch) => ch.id),
    );
  });

  it('configures the root scheduler with the leaves (get_schedulers takes no argument)', async () => {
    const reply = await rpc(cluster.rootScheduler, 'RootScheduler', RootScheduler.Client, (cl) => cl.get_schedulers());
    assert.equal(reply.result, photon.GetSchedulersResultCode.OK);
    const role = reply.schedulers![0]!.role;
    assert.equal(role.id, 'ROOT');
    const truth = cluster.truth().tree;
    assert.deepEqual(
      role.scheduler_children!.map((ch) => ({ id: ch.id, owner: ch.owner_host, port: ch.port })),
      truth.leaves.map((l) => ({ id: l.id, owner: l.owner, port: l.address!.port })),
    );
  });

  it('pushes each leaf role to its owner; other agents hold none but answer', async () => {
    const agents = cluster.truth().agents;
    const tree = cluster.truth().tree;
    const ask = (id: string) =>
      rpc(agents.get(id)!.endpoint, 'AgentControl', AgentControl.Client, (cl) => cl.get_schedulers(new photon.GetSchedulersRequest()));

    const ofA = await ask(a);
    assert.equal(ofA.result, photon.GetSchedulersResultCode.OK);
    assert.equal(ofA.schedulers![0]!.role.id, tree.leaves[0]!.id);
    assert.deepEqual(ofA.schedulers![0]!.role.hosts, [a, b]);

    const ofB = await ask(b);
    assert.equal(ofB.result, photon.GetSchedulersResultCode.OK);
    assert.equal(ofB.schedulers?.length ?? 0, 0);

    const config = await rpc(agents.get(b)!.endpoint, 'Host', Host.Client, (cl) => cl.get_host_config(new photon.GetConfigRequest()));
    assert.equal(config.result, photon.GetConfigResultCode.OK);
    assert.equal(config.hostConfig!.agent_id, b);

    await rpc(agents.get(c)!.endpoint, 'AgentControl', AgentControl.Client, (cl) => cl.ping(new photon.PingRequest({ sequence_number: 1 })));
  });

  it('exposes the same tree as its truth', () => {
    const truth = cluster.truth();
    assert.deepEqual(
      truth.tree.leaves.map((l) => [l.owner, l.hosts.map((h) => h.id)]),
      [
        [a, [a, b]],
        [c, [c]],
      ],
    );
    assert.deepEqual(truth.tree.rootAddress, cluster.rootScheduler);
    assert.deepEqual([...truth.registrations.keys()], [a, b, c]);
    assert.equal(truth.registrations.get(a)!.address.port, truth.agents.get(a)!.endpoint.port);
    assert.equal(truth.agents.get(a)!.roleLeafId, truth.tree.leaves[0]!.id);
    assert.equal(truth.agents.get(b)!.roleLeafId, null);
    assert.deepEqual(truth.rootScheduler.children.map((ch) => ch.owner), [a, c]);
  });
});
