// 250 hosts start, listen on their own ports and register over real Thrift;
// the chairman persists and pushes the whole tree.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import AgentControl from '../../src/generated/thrift/AgentControl.js';
import photon from '../../src/generated/thrift/photon_types.js';
import RootScheduler from '../../src/generated/thrift/RootScheduler.js';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { openZkSession, type ZkSession } from '../../src/sim/zk-session.js';
import { decodeBinaryUnchecked } from '../../src/wire/thrift-binary.js';
import { rpc } from '../support/sim-rpc.js';
import { freshChroot } from '../support/zookeeper.js';
import { must } from '../support/must.js';

const HOSTS = 250;
const FANOUT = 32;


describe(`simulator: ${HOSTS} hosts`, () => {
  let cluster: SimulatedCluster;
  let zk: ZkSession;

  before(async () => {
    const { connectString } = await freshChroot('sim');
    cluster = await startSimulatedCluster({ zk: connectString, hosts: HOSTS, fanout: FANOUT });
    zk = await must(openZkSession(connectString));
  });

  after(async () => {
    await zk?.close();
    await cluster?.stop();
  });

  it('registers every host and places them in ceil(hosts / fanout) full-first leaves', async () => {
    const leaves = Math.ceil(HOSTS / FANOUT);
    assert.equal((await must(zk.children('/hosts')))!.length, HOSTS);
    const owners = (await must(zk.children('/roles')))!;
    assert.equal(owners.length, leaves);
    const sizes: number[] = [];
    const seen = new Set<string>();
    for (const owner of owners) {
      const role = decodeBinaryUnchecked(photon.Roles, (await must(zk.data(`/roles/${owner}`)))!).schedulers![0]!;
      assert.equal(role.hosts![0], owner);
      sizes.push(role.host_children!.length);
      for (const h of role.hosts!) seen.add(h);
    }
    assert.equal(seen.size, HOSTS);
    assert.deepEqual(sizes.sort((x, y) => y - x).slice(0, leaves - 1), new Array(leaves - 1).fill(FANOUT));
    const counters = cluster.truth().counters;
    assert.equal(counters.persistFailures + counters.pushFailures, 0);
  });

  it('listens on a distinct port per agent, and every leaf owner holds its role', async () => {
    const truth = cluster.truth();
    const ports = new Set([...truth.agents.values()].map((a) => a.endpoint.port));
    assert.equal(ports.size, HOSTS);
    for (const leaf of truth.tree.leaves) {
      const reply = await rpc(leaf.address!, 'AgentControl', AgentControl.Client, (c) => c.get_schedulers(new photon.GetSchedulersRequest()));
      assert.equal(reply.schedulers![0]!.role.id, leaf.id);
      assert.equal(reply.schedulers![0]!.role.hosts!.length, leaf.hosts.length);
    }
    const root = await rpc(cluster.rootScheduler, 'RootScheduler', RootScheduler.Client, (c) => c.get_schedulers());
    assert.deepEqual(
      root.schedulers![0]!.role.scheduler_children!.map((ch) => ch.id),
      truth.tree.leaves.map((l) => l.id),
    );
  });

  it('reports its startup timings', () => {
    const t = cluster.timings;
    assert.ok(t.totalMs >= t.registerMs && t.registerMs > 0 && t.listenMs > 0, JSON.stringify(t));
  });
});
