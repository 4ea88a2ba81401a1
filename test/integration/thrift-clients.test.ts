// Each typed client against a real, well-behaved multiplexed framed+compact
// Thrift server on 127.0.0.1.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import photon from '../../src/generated/thrift/photon_types.js';
import { configureHost, getHostConfig, getLeafScheduler, pingAgent } from '../../src/sources/thrift/agent-client.js';
import {
  registerHost,
  reportMissing,
  reportResurrected,
  unregisterHost,
} from '../support/chairman-admin-client.js';
import { getChairmanSchedulers } from '../../src/sources/thrift/chairman-client.js';
import { chairmanTree } from '../../src/sources/thrift/chairman-tree.js';
import { rootChildren } from '../../src/sources/thrift/root-children.js';
import { getRootSchedulers } from '../../src/sources/thrift/root-scheduler-client.js';
import { refusedEndpoint } from '../support/hostile-peers.js';
import { HOST_A, HOST_B, HOST_C, LEAF_1, LEAF_2, failedAnswer } from '../unit/thrift/fixtures.js';
import { startFakeAgent, startFakeChairman, startFakeRootScheduler, type FakeService } from './thrift-fake-services.js';

const RPC = { connectTimeoutMs: 2000, callTimeoutMs: 2000 };
const started: FakeService[] = [];
after(async () => {
  await Promise.all(started.map((s) => s.close()));
});
async function track<T extends FakeService>(s: Promise<T>): Promise<T> {
  const service = await s;
  started.push(service);
  return service;
}

test('chairman: get_schedulers over the wire reads back as the fanout-2 tree', async () => {
  const chairman = await track(startFakeChairman());
  const reply = await getChairmanSchedulers(chairman.endpoint, RPC);
  assert.ok(reply.ok, JSON.stringify(reply));
  const root = { host: '127.0.0.1', port: 15000 };
  const tree = chairmanTree(reply.value, root);
  assert.ok(tree.ok);
  assert.deepEqual(tree.value.rootAddress, root);
  assert.deepEqual(
    tree.value.leaves.map((l) => ({ id: l.id, owner: l.owner, address: l.address, hosts: l.hosts.map((h) => h.id) })),
    [
      { id: LEAF_1, owner: HOST_A.id, address: { host: HOST_A.host, port: HOST_A.port }, hosts: [HOST_A.id, HOST_B.id] },
      { id: LEAF_2, owner: HOST_C.id, address: { host: HOST_C.host, port: HOST_C.port }, hosts: [HOST_C.id] },
    ],
  );
  assert.equal(chairman.requests.get('get_schedulers')?.length, 1);
});

test('chairman: NOT_LEADER over the wire is not_leader; a failing handler is system_error', async () => {
  const notLeader = await track(
    startFakeChairman({ getSchedulers: async () => failedAnswer(photon.GetSchedulersResultCode.NOT_LEADER, 'follower') }),
  );
  const reply = await getChairmanSchedulers(notLeader.endpoint, RPC);
  assert.ok(reply.ok);
  const tree = chairmanTree(reply.value, null);
  assert.ok(!tree.ok);
  assert.equal(tree.error.kind, 'not_leader');
  assert.match(tree.error.message, /NOT_LEADER: follower/);

  const broken = await track(
    startFakeChairman({
      getSchedulers: async () => {
        throw new Error('hierarchy lock held');
      },
    }),
  );
  const failed = await getChairmanSchedulers(broken.endpoint, RPC);
  assert.ok(!failed.ok);
  assert.equal(failed.error.kind, 'system_error');
  assert.match(failed.error.message, /hierarchy lock held/);
});

test('root scheduler: get_schedulers (no argument) reads back as its children', async () => {
  const root = await track(startFakeRootScheduler());
  const reply = await getRootSchedulers(root.endpoint, RPC);
  assert.ok(reply.ok, JSON.stringify(reply));
  const children = rootChildren(reply.value);
  assert.deepEqual(children, {
    ok: true,
    value: [
      { id: LEAF_1, owner: HOST_A.id, address: { host: HOST_A.host, port: HOST_A.port } },
      { id: LEAF_2, owner: HOST_C.id, address: { host: HOST_C.host, port: HOST_C.port } },
    ],
  });
});

test('a service the server does not serve fails cleanly (the server drops the connection)', async () => {
  const root = await track(startFakeRootScheduler());
  const reply = await getChairmanSchedulers(root.endpoint, RPC);
  assert.ok(!reply.ok);
  assert.equal(reply.error.kind, 'unreachable');
});

// The seed's test_get_leaf_scheduler: offline, online without a leaf, configured by hand.
test('agent: no leaf until configured, then its leaf with itself as owner', async () => {
  const offline = await getLeafScheduler(await refusedEndpoint(), RPC);
  assert.ok(!offline.ok);
  assert.equal(offline.error.kind, 'unreachable');

  const agent = await track(startFakeAgent({ agentId: 'agent-1' }));
  assert.deepEqual(await getLeafScheduler(agent.endpoint, RPC), { ok: true, value: null });

  const config = await getHostConfig(agent.endpoint, RPC);
  assert.ok(config.ok, JSON.stringify(config));
  const agentId = config.value.agent_id;
  assert.equal(agentId, 'agent-1');
  assert.deepEqual({ host: config.value.address.host, port: config.value.address.port }, agent.endpoint);

  const leafId = 'leaf scheduler';
  const role = new photon.SchedulerRole({
    id: leafId,
    parent_id: 'parent scheduler',
    hosts: [agentId],
    host_children: [new photon.ChildInfo({ id: agentId, address: agent.endpoint.host, port: agent.endpoint.port })],
  });
  const configured = await configureHost(
    agent.endpoint,
    new photon.ConfigureRequest({ scheduler: leafId, roles: new photon.Roles({ schedulers: [role] }) }),
    RPC,
  );
  assert.ok(configured.ok);
  assert.equal(configured.value.result, photon.ConfigureResultCode.OK);

  const leaf = await getLeafScheduler(agent.endpoint, RPC);
  assert.deepEqual(leaf, {
    ok: true,
    value: { id: leafId, owner: agentId, address: agent.endpoint, hosts: [{ id: agentId, address: agent.endpoint }] },
  });
});

test('agent: ping answers; get_host_config passes the requested agent id', async () => {
  const agent = await track(startFakeAgent({ agentId: 'agent-2' }));
  assert.deepEqual(await pingAgent(agent.endpoint, RPC), { ok: true, value: undefined });
  const config = await getHostConfig(agent.endpoint, RPC, 'someone-else');
  assert.ok(config.ok);
  assert.equal(config.value.agent_id, 'someone-else');
  assert.equal(agent.requests.get('ping')?.length, 1);
});

test('chairman admin calls reach the chairman with their requests', async () => {
  const chairman = await track(startFakeChairman());
  const ep = chairman.endpoint;
  const hostConfig = new photon.HostConfig({
    agent_id: 'host1',
    availability_zone: 'az1',
    datastores: [new photon.Datastore({ id: 'ds1', name: 'ds1', type: photon.DatastoreType.SHARED_VMFS })],
    address: new photon.ServerAddress({ host: 'localhost', port: 12345 }),
  });
  const registered = await registerHost(ep, new photon.RegisterHostRequest({ id: 'host1', config: hostConfig }), RPC);
  assert.ok(registered.ok);
  assert.equal(registered.value.result, photon.RegisterHostResultCode.OK);
  const missing = await reportMissing(ep, new photon.ReportMissingRequest({ scheduler_id: 'host1', hosts: ['h2', 'h3'] }), RPC);
  assert.ok(missing.ok);
  const back = await reportResurrected(ep, new photon.ReportResurrectedRequest({ scheduler_id: 'host1', hosts: ['h2'] }), RPC);
  assert.ok(back.ok);
  const gone = await unregisterHost(ep, new photon.UnregisterHostRequest({ id: 'host1' }), RPC);
  assert.ok(gone.ok);

  const reg = chairman.requests.get('register_host')?.[0] as photon.RegisterHostRequest;
  assert.equal(reg.id, 'host1');
  assert.equal(reg.config.address.port, 12345);
  assert.equal(reg.config.datastores[0]?.type, photon.DatastoreType.SHARED_VMFS);
  assert.deepEqual((chairman.requests.get('report_missing')?.[0] as photon.ReportMissingRequest).hosts, ['h2', 'h3']);
  assert.deepEqual((chairman.requests.get('report_resurrected')?.[0] as photon.ReportResurrectedRequest).hosts, ['h2']);
  assert.equal((chairman.requests.get('unregister_host')?.[0] as photon.UnregisterHostRequest).id, 'host1');
});
