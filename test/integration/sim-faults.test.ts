// Each fault the simulator injects, observed from outside: over real sockets
// and in the real ZooKeeper. Five hosts with fanout 2 registering one at a
// time give leaves [h0, h1], [h2, h3], [h4].
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import AgentControl from '../../src/generated/thrift/AgentControl.js';
import Chairman from '../../src/generated/thrift/Chairman.js';
import photon from '../../src/generated/thrift/photon_types.js';
import RootScheduler from '../../src/generated/thrift/RootScheduler.js';
import type { Endpoint } from '../../src/model/ids.js';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { CORRUPT_VALUE } from '../../src/sim/faults.js';
import { openZkSession, type ZkSession } from '../../src/sim/zk-session.js';
import { decodeBinaryUnchecked } from '../../src/wire/thrift-binary.js';
import { rpc, tcpState } from '../support/sim-rpc.js';
import { freshChroot } from '../support/zookeeper.js';
import { must } from '../support/must.js';


interface Fixture {
  cluster: SimulatedCluster;
  zk: ZkSession;
  h: string[];
  at: (id: string) => Endpoint;
}

async function fiveHosts(): Promise<Fixture> {
  const { connectString } = await freshChroot('sim');
  const cluster = await startSimulatedCluster({ zk: connectString, hosts: 5, fanout: 2, registerConcurrency: 1 });
  const zk = await must(openZkSession(connectString));
  const agents = cluster.truth().agents;
  return { cluster, zk, h: [...cluster.hostIds], at: (id) => agents.get(id)!.endpoint };
}

async function release(f: Fixture | undefined): Promise<void> {
  await f?.zk.close();
  await f?.cluster.stop();
}

async function leafHosts(zk: ZkSession, owner: string): Promise<{ id: string; hosts: string[] } | null> {
  const bytes = await must(zk.data(`/roles/${owner}`));
  if (!bytes) return null;
  const role = decodeBinaryUnchecked(photon.Roles, bytes).schedulers![0]!;
  return { id: role.id, hosts: role.hosts ?? [] };
}

function agentLeaf(at: Endpoint): Promise<string | null> {
  return rpc(at, 'AgentControl', AgentControl.Client, (c) => c.get_schedulers(new photon.GetSchedulersRequest())).then(
    (r) => r.schedulers?.[0]?.role.id ?? null,
  );
}

function ping(at: Endpoint, timeoutMs?: number): Promise<void> {
  return rpc(at, 'AgentControl', AgentControl.Client, (c) => c.ping(new photon.PingRequest()), timeoutMs);
}

describe('simulator faults: agent processes', () => {
  let f: Fixture;
  before(async () => (f = await fiveHosts()));
  after(() => release(f));

  it('stopAgent refuses connections; startAgent listens on the same port again', async () => {
    const h1 = f.h[1]!;
    await must(f.cluster.stopAgent(h1));
    assert.equal(await tcpState(f.at(h1)), 'refused');
    assert.equal(f.cluster.truth().agents.get(h1)!.state, 'stopped');
    await must(f.cluster.startAgent(h1));
    assert.equal(f.cluster.truth().agents.get(h1)!.endpoint.port, f.at(h1).port);
    await ping(f.at(h1));
  });

  it('a restarted leaf owner re-registers and gets its leaf role back', async () => {
    const h0 = f.h[0]!;
    const leaf = f.cluster.truth().tree.leaves[0]!.id;
    await must(f.cluster.stopAgent(h0));
    assert.equal(f.cluster.truth().agents.get(h0)!.roleLeafId, null);
    await must(f.cluster.startAgent(h0));
    assert.equal(await agentLeaf(f.at(h0)), leaf);
  });

  it('hangAgent accepts connections but never answers; startAgent brings it back', async () => {
    const h3 = f.h[3]!;
    await must(f.cluster.hangAgent(h3));
    assert.equal(await tcpState(f.at(h3)), 'open');
    await assert.rejects(ping(f.at(h3), 300), /timeout/);
    assert.equal(f.cluster.truth().agents.get(h3)!.state, 'hung');
    await must(f.cluster.startAgent(h3));
    await ping(f.at(h3));
  });

  it('refuses unknown agent ids', async () => {
    const r = await f.cluster.stopAgent('no-such-host');
    assert.equal(r.ok, false);
  });
});

describe('simulator faults: chairman and ZooKeeper state', () => {
  let f: Fixture;
  before(async () => (f = await fiveHosts()));
  after(() => release(f));

  it('writeCorruptValue puts bytes no Thrift decoder accepts', async () => {
    const h4 = f.h[4]!;
    await must(f.cluster.writeCorruptValue(`/roles/${h4}`));
    const bytes = (await must(f.zk.data(`/roles/${h4}`)))!;
    assert.deepEqual(bytes, CORRUPT_VALUE);
    assert.throws(() => decodeBinaryUnchecked(photon.Roles, bytes));

    await must(f.cluster.writeCorruptValue('/hosts/garbage/deeper', Buffer.from('not thrift')));
    assert.equal((await must(f.zk.data('/hosts/garbage/deeper')))!.toString(), 'not thrift');
  });

  it('registerOrphanHost writes /hosts/<id> for a host no leaf holds, at an address nothing listens on', async () => {
    await must(f.cluster.registerOrphanHost('orphan-1'));
    const config = decodeBinaryUnchecked(photon.HostConfig, (await must(f.zk.data('/hosts/orphan-1')))!);
    assert.equal(config.agent_id, 'orphan-1');
    assert.equal(await tcpState({ host: config.address.host, port: config.address.port }), 'refused');
    for (const owner of [f.h[0]!, f.h[2]!]) assert.ok(!(await leafHosts(f.zk, owner))!.hosts.includes('orphan-1'));
    const truth = f.cluster.truth();
    assert.ok(truth.registrations.has('orphan-1'));
    assert.ok(truth.tree.leaves.every((l) => l.hosts.every((h) => h.id !== 'orphan-1')));
    assert.equal((await f.cluster.registerOrphanHost(f.h[1]!)).ok, false, 'a placed host cannot become an orphan');
  });

  it('addSecondMember leaves a service with two members; removeMember takes it away', async () => {
    const path = await must(f.cluster.addSecondMember('root-scheduler'));
    assert.equal((await must(f.zk.children('/services/root-scheduler')))!.length, 2);
    const address = decodeBinaryUnchecked(photon.ServerAddress, (await must(f.zk.data(path)))!);
    assert.notEqual(address.port, f.cluster.rootScheduler.port);
    await must(f.cluster.removeMember(path));
    assert.equal((await must(f.zk.children('/services/root-scheduler')))!.length, 1);
  });

  it('reportMissing / reportResurrected create and delete /missing nodes, directly and over RPC', async () => {
    const leaf = f.cluster.truth().tree.leaves[1]!.id;
    await must(f.cluster.reportMissing([f.h[3]!, leaf]));
    assert.deepEqual((await must(f.zk.children('/missing')))!.sort(), [f.h[3]!, leaf].sort());
    await must(f.cluster.reportResurrected([leaf]));
    assert.deepEqual(await must(f.zk.children('/missing')), [f.h[3]!]);

    const missing = await rpc(f.cluster.chairman, 'Chairman', Chairman.Client, (c) =>
      c.report_missing(new photon.ReportMissingRequest({ scheduler_id: 'host1', hosts: ['h2', 'h3'] })),
    );
    assert.equal(missing.result, photon.ReportMissingResultCode.OK);
    assert.deepEqual((await must(f.zk.children('/missing')))!.sort(), [f.h[3]!, 'h2', 'h3'].sort());
    const back = await rpc(f.cluster.chairman, 'Chairman', Chairman.Client, (c) =>
      c.report_resurrected(new photon.ReportResurrectedRequest({ scheduler_id: 'host1', hosts: ['h2', 'h3', f.h[3]!] })),
    );
    assert.equal(back.result, photon.ReportResurrectedResultCode.OK);
    assert.deepEqual(await must(f.zk.children('/missing')), []);
    assert.deepEqual(f.cluster.truth().missing, new Set());
  });

  it('divergeChairman moves a host in the chairman only: its RPC answer changes, ZooKeeper does not', async () => {
    const [h0, h1, h2, h3] = f.h as [string, string, string, string];
    const to = f.cluster.truth().tree.leaves[1]!.id;
    await must(f.cluster.divergeChairman(h1, to));
    const reply = await rpc(f.cluster.chairman, 'Chairman', Chairman.Client, (c) => c.get_schedulers(new photon.GetSchedulersRequest()));
    const leaf = reply.schedulers!.find((e) => e.role.id === to)!;
    assert.deepEqual(leaf.role.hosts, [h2, h3, h1]);
    assert.deepEqual((await leafHosts(f.zk, h0))!.hosts, [h0, h1]);
    assert.deepEqual((await leafHosts(f.zk, h2))!.hosts, [h2, h3]);
    assert.deepEqual(
      f.cluster.truth().tree.leaves.find((l) => l.id === to)!.hosts.map((h) => h.id),
      [h2, h3, h1],
    );
    assert.equal(f.cluster.divergeChairman(h1, 'no-such-leaf').ok, false);
  });
});

describe('simulator: unregister_host takes the host out of the tree', () => {
  let f: Fixture;
  before(async () => (f = await fiveHosts()));
  after(() => release(f));

  const unregister = (id: string) =>
    rpc(f.cluster.chairman, 'Chairman', Chairman.Client, (c) => c.unregister_host(new photon.UnregisterHostRequest({ id })));

  it('a non-owner: /hosts/<id> goes and its leaf is rewritten', async () => {
    const [, , h2, h3] = f.h as [string, string, string, string];
    assert.equal((await unregister(h3)).result, photon.UnregisterHostResultCode.OK);
    await f.cluster.settled();
    assert.equal(await must(f.zk.data(`/hosts/${h3}`)), null);
    assert.deepEqual((await leafHosts(f.zk, h2))!.hosts, [h2]);
  });

  it('an owner: the next host takes over the leaf (same id), the old /roles node goes, the root is reconfigured', async () => {
    const [h0, h1] = f.h as [string, string];
    const leafId = (await leafHosts(f.zk, h0))!.id;
    assert.equal(await agentLeaf(f.at(h0)), leafId);
    assert.equal((await unregister(h0)).result, photon.UnregisterHostResultCode.OK);
    await f.cluster.settled();
    assert.equal(await must(f.zk.data(`/roles/${h0}`)), null);
    assert.deepEqual(await leafHosts(f.zk, h1), { id: leafId, hosts: [h1] });
    assert.equal(await agentLeaf(f.at(h1)), leafId);
    assert.equal(await agentLeaf(f.at(h0)), null, 'the old owner was told it owns nothing');
    const root = await rpc(f.cluster.rootScheduler, 'RootScheduler', RootScheduler.Client, (c) => c.get_schedulers());
    const child = root.schedulers![0]!.role.scheduler_children!.find((ch) => ch.id === leafId)!;
    assert.equal(child.owner_host, h1);
    assert.equal(child.port, f.at(h1).port);
  });

  it('the last host of a leaf: the leaf is dropped', async () => {
    const h4 = f.h[4]!;
    assert.equal((await unregister(h4)).result, photon.UnregisterHostResultCode.OK);
    await f.cluster.settled();
    assert.equal(await must(f.zk.data(`/roles/${h4}`)), null);
    const root = await rpc(f.cluster.rootScheduler, 'RootScheduler', RootScheduler.Client, (c) => c.get_schedulers());
    assert.equal(root.schedulers![0]!.role.scheduler_children!.length, 2);
    assert.equal(f.cluster.truth().tree.leaves.length, 2);
    assert.equal((await must(f.zk.children('/roles')))!.length, 2);
  });

  it('a new host fills the leaf with room first', async () => {
    const reply = await rpc(f.cluster.chairman, 'Chairman', Chairman.Client, (c) =>
      c.register_host(
        new photon.RegisterHostRequest({
          id: 'late-host',
          config: new photon.HostConfig({
            agent_id: 'late-host',
            availability_zone: 'az1',
            datastores: [],
            address: new photon.ServerAddress({ host: '127.0.0.1', port: 1 }),
          }),
        }),
      ),
    );
    assert.equal(reply.result, photon.RegisterHostResultCode.OK);
    await f.cluster.settled();
    const owners = (await must(f.zk.children('/roles')))!.sort();
    assert.equal(owners.length, 2, 'no new leaf while an existing one has room');
    const holding = await Promise.all(owners.map((o) => leafHosts(f.zk, o)));
    assert.ok(holding.some((l) => l!.hosts.includes('late-host')));
  });
});
