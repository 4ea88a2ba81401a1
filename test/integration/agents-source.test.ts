// The agents source over real Thrift sockets against the simulator (real
// ZooKeeper under it): each owner's own view of its leaf, the simulator's
// agent faults seen through it, and an agent that does not answer read as
// unknown for that agent only. Five hosts with fanout 2 registering one at a
// time give leaves [h0, h1], [h2, h3], [h4].
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { agentTargets, readAgents, type AgentTarget, type AgentView } from '../../src/sources/thrift/read-agents.js';
import { agentFacts } from '../../src/snapshot/agent-facts.js';
import photon from '../../src/generated/thrift/photon_types.js';
import { openZkSession, type ZkSession } from '../../src/sim/zk-session.js';
import { decodeBinaryUnchecked } from '../../src/wire/thrift-binary.js';
import { must } from '../support/must.js';
import { waitFor } from '../support/wait-for.js';
import { freshChroot } from '../support/zookeeper.js';

const OPTIONS = { rpc: { connectTimeoutMs: 2_000, callTimeoutMs: 2_000 }, concurrency: 2 };

function ownerTargets(cluster: SimulatedCluster): AgentTarget[] {
  const truth = cluster.truth();
  const owners = new Map(truth.tree.leaves.map((l) => [l.owner!, l.address]));
  const registered = new Map([...truth.registrations].map(([id, r]) => [id, r.address]));
  return agentTargets('owners', owners, registered);
}

const brief = (v: AgentView) =>
  v.state === 'role' ? `${v.host}:${v.leafId}<${v.parentId}>[${v.hostIds.join(' ')}]` : `${v.host}:${v.state}`;

describe('agents source on the simulator', () => {
  let cluster: SimulatedCluster;
  let h: string[];
  let leafOf: (owner: string) => string;
  before(async () => {
    const { connectString } = await freshChroot('agents');
    cluster = await startSimulatedCluster({ zk: connectString, hosts: 5, fanout: 2, registerConcurrency: 1 });
    await cluster.settled();
    h = [...cluster.hostIds];
    const leaves = cluster.truth().tree.leaves;
    leafOf = (owner) => leaves.find((l) => l.owner === owner)!.id;
  });
  after(() => cluster?.stop({ clean: true }));

  it('reads each owner its leaf, parent and hosts; `all` asks every registered host', async () => {
    const views = await readAgents(ownerTargets(cluster), OPTIONS);
    const expect = (owner: string, hosts: string[]) => `${owner}:${leafOf(owner)}<ROOT>[${hosts.sort().join(' ')}]`;
    assert.deepEqual(
      views.map(brief),
      [expect(h[0]!, [h[0]!, h[1]!]), expect(h[2]!, [h[2]!, h[3]!]), expect(h[4]!, [h[4]!])].sort(),
    );
    const truth = cluster.truth();
    const registered = new Map([...truth.registrations].map(([id, r]) => [id, r.address]));
    const all = await readAgents(agentTargets('all', new Map(), registered), OPTIONS);
    assert.equal(all.length, 5);
    assert.deepEqual(all.filter((v) => v.state === 'no_role').map((v) => v.host).sort(), [h[1], h[3]].sort());
  });

  it('sees an agent that lost its role, holds another leaf, or reports other hosts', async () => {
    assert.ok(cluster.agentLoseRole(h[0]!).ok);
    assert.ok(cluster.agentHoldRole(h[2]!, leafOf(h[4]!)).ok);
    assert.ok(cluster.agentReportHosts(h[4]!, [h[4]!, h[1]!]).ok);
    const facts = agentFacts(await readAgents(ownerTargets(cluster), OPTIONS));
    const byHost = new Map(facts.map((f) => [f.entity, f.value]));
    assert.deepEqual(byHost.get(h[0]!), { leaf: null, parent: null, hosts: [] });
    assert.equal((byHost.get(h[2]!) as { leaf: string }).leaf, leafOf(h[4]!));
    assert.deepEqual(byHost.get(h[4]!), { leaf: leafOf(h[4]!), parent: 'ROOT', hosts: [h[1]!, h[4]!].sort() });
    assert.ok(facts.every((f) => !('unknown' in f.value)));
    assert.ok(!cluster.agentHoldRole(h[0]!, 'no-such-leaf').ok);
  });

  it('a stopped agent is unknown for that agent only, never "holds no role"', async () => {
    assert.ok((await cluster.stopAgent(h[2]!)).ok);
    const views = await readAgents(ownerTargets(cluster), OPTIONS);
    const stopped = views.find((v) => v.host === h[2]);
    assert.equal(stopped?.state, 'unknown');
    assert.ok(views.filter((v) => v.host !== h[2]).every((v) => v.state !== 'unknown'));
    const facts = agentFacts(views);
    // Recorded as unknown (with why), not as "no role" and not left out.
    const unknown = facts.filter((f) => 'unknown' in f.value).map((f) => f.entity);
    assert.deepEqual(unknown, [h[2]]);
  });

  it('a hung agent times out as unknown', async () => {
    assert.ok((await cluster.hangAgent(h[4]!)).ok);
    const views = await readAgents(ownerTargets(cluster), { ...OPTIONS, rpc: { connectTimeoutMs: 1_000, callTimeoutMs: 300 } });
    const hung = views.find((v) => v.host === h[4]);
    assert.equal(hung?.state, 'unknown');
    assert.equal(hung?.state === 'unknown' && hung.error.kind, 'timeout');
  });
});

describe('chairman push delay (rehearsing settling)', () => {
  let cluster: SimulatedCluster;
  let zk: ZkSession;
  before(async () => {
    const { connectString } = await freshChroot('agents-delay');
    cluster = await startSimulatedCluster({ zk: connectString, hosts: 5, fanout: 2, registerConcurrency: 1 });
    await cluster.settled();
    zk = await must(openZkSession(connectString));
  });
  after(async () => {
    await zk?.close();
    await cluster?.stop({ clean: true });
  });

  it('/roles changes at once, the owner agent hears of it only after the delay', async () => {
    const owner = cluster.hostIds[4]!;
    const target = [{ host: owner, address: cluster.truth().agents.get(owner)!.endpoint }];
    cluster.delayChairmanPushes(10_000);
    // The sixth host joins the last leaf (owner h4); addAgents resolves once the delayed push is done.
    const adding = cluster.addAgents(1);
    const rolesHosts = await waitFor('the sixth host in /roles', async () => {
      const bytes = await must(zk.data(`/roles/${owner}`));
      const hosts = bytes ? (decodeBinaryUnchecked(photon.Roles, bytes).schedulers?.[0]?.hosts ?? []) : [];
      return hosts.length === 2 ? hosts : null;
    });
    const during = (await readAgents(target, OPTIONS))[0]!;
    assert.deepEqual(during.state === 'role' && during.hostIds, [owner]);
    const added = await adding;
    assert.ok(added.ok);
    const afterPush = (await readAgents(target, OPTIONS))[0]!;
    assert.deepEqual(afterPush.state === 'role' && afterPush.hostIds, [...rolesHosts].sort());
    cluster.delayChairmanPushes(0);
  });
});
