// The chairman and the root scheduler are ephemeral members of their service:
// stopping one makes its member vanish and its port refuse; starting it again
// brings a new member on the same port, and the chairman reconfigures the
// root scheduler. Stopping the cluster removes ephemeral nodes only.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Chairman from '../../src/generated/thrift/Chairman.js';
import photon from '../../src/generated/thrift/photon_types.js';
import RootScheduler from '../../src/generated/thrift/RootScheduler.js';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { openZkSession, type ZkSession } from '../../src/sim/zk-session.js';
import { decodeBinaryUnchecked } from '../../src/wire/thrift-binary.js';
import { rpc, tcpState } from '../support/sim-rpc.js';
import { freshChroot } from '../support/zookeeper.js';
import { must } from '../support/must.js';


describe('simulator: service leaders', () => {
  let cluster: SimulatedCluster;
  let zk: ZkSession;

  before(async () => {
    const { connectString } = await freshChroot('sim');
    cluster = await startSimulatedCluster({ zk: connectString, hosts: 4, fanout: 2 });
    zk = await must(openZkSession(connectString));
  });

  after(async () => {
    await zk?.close();
    await cluster?.stop();
  });

  it('chairman: stop removes its member and closes its port; start brings a new member on the same port', async () => {
    const [before] = (await must(zk.children('/services/chairman')))!;
    await cluster.stopChairman();
    assert.deepEqual(await must(zk.children('/services/chairman')), []);
    assert.equal(await tcpState(cluster.chairman), 'refused');
    assert.equal(cluster.truth().chairman.running, false);

    await must(cluster.startChairman());
    const members = (await must(zk.children('/services/chairman')))!;
    assert.equal(members.length, 1);
    assert.notEqual(members[0], before);
    const address = decodeBinaryUnchecked(photon.ServerAddress, (await must(zk.data(`/services/chairman/${members[0]}`)))!);
    assert.equal(address.port, cluster.chairman.port);
    const reply = await rpc(cluster.chairman, 'Chairman', Chairman.Client, (c) => c.get_schedulers(new photon.GetSchedulersRequest()));
    assert.equal(reply.schedulers!.length, 1 + 2);
  });

  it('root scheduler: stop removes its member and closes its port; start comes back reconfigured', async () => {
    await cluster.stopRootScheduler();
    assert.deepEqual(await must(zk.children('/services/root-scheduler')), []);
    assert.equal(await tcpState(cluster.rootScheduler), 'refused');

    await must(cluster.startRootScheduler());
    assert.equal((await must(zk.children('/services/root-scheduler')))!.length, 1);
    const reply = await rpc(cluster.rootScheduler, 'RootScheduler', RootScheduler.Client, (c) => c.get_schedulers());
    assert.equal(reply.schedulers![0]!.role.scheduler_children!.length, 2);
  });

  it('a root scheduler restarted while the chairman is down stays empty until the chairman is back', async () => {
    await cluster.stopChairman();
    await cluster.stopRootScheduler();
    await must(cluster.startRootScheduler());
    const empty = await rpc(cluster.rootScheduler, 'RootScheduler', RootScheduler.Client, (c) => c.get_schedulers());
    assert.equal(empty.result, photon.GetSchedulersResultCode.OK);
    assert.deepEqual(empty.schedulers![0]!.role.scheduler_children, []);
    assert.deepEqual(cluster.truth().rootScheduler.children, []);

    await must(cluster.startChairman());
    const full = await rpc(cluster.rootScheduler, 'RootScheduler', RootScheduler.Client, (c) => c.get_schedulers());
    assert.equal(full.schedulers![0]!.role.scheduler_children!.length, 2);
  });
});

describe('simulator: stop', () => {
  it('removes the ephemeral members and keeps the persistent layout; clean removes it too', async () => {
    const { connectString } = await freshChroot('sim');
    const zk = await must(openZkSession(connectString));
    try {
      const first = await startSimulatedCluster({ zk: connectString, hosts: 3, fanout: 2 });
      const agent = first.truth().agents.get(first.hostIds[0]!)!.endpoint;
      await first.stop();
      assert.deepEqual(await must(zk.children('/services/chairman')), []);
      assert.deepEqual(await must(zk.children('/services/root-scheduler')), []);
      assert.equal((await must(zk.children('/hosts')))!.length, 3);
      assert.equal((await must(zk.children('/roles')))!.length, 2);
      assert.equal(await tcpState(agent), 'refused');
      assert.equal(await tcpState(first.chairman), 'refused');

      const second = await startSimulatedCluster({ zk: connectString, hosts: 1, fanout: 2 });
      await second.stop({ clean: true });
      for (const path of ['/services', '/hosts', '/roles', '/missing']) assert.equal(await must(zk.children(path)), null, path);
    } finally {
      await zk.close();
    }
  });
});
