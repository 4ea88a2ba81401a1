// Settling against the simulator (real ZooKeeper, real Thrift, the built CLI):
// the chairman writes /roles at once and pushes the role to the owner's agent
// only after a delay, so the owner's own view lags behind /roles. A lag that
// ends within the settle window is never drift; one that outlives it is.
// Five hosts with fanout 2 registering one at a time: leaves [h0 h1], [h2 h3],
// [h4]; a sixth host joins h4's leaf, a seventh gets a leaf of its own.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import photon from '../../src/generated/thrift/photon_types.js';
import type { JudgedDriftHistoryReport, SettledDriftReport } from '../../src/query/load-settled-drift.js';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { openZkSession, type ZkSession } from '../../src/sim/zk-session.js';
import { decodeBinaryUnchecked } from '../../src/wire/thrift-binary.js';
import { must } from '../support/must.js';
import { treesnap } from '../support/treesnap-cli.js';
import { waitFor } from '../support/wait-for.js';
import { freshChroot } from '../support/zookeeper.js';

const key = (i: { kind: string; ids: string[] }) => `${i.kind}:${i.ids.join(',')}`;

describe('settling on the simulator: the owner agent hears of /roles late', () => {
  let cluster: SimulatedCluster;
  let zk: ZkSession;
  let dir: string;
  let db: string;

  async function collect(): Promise<void> {
    const r = await treesnap(['collect', '--zk', cluster.zk, '--db', db]);
    assert.equal(r.code, 0, r.stderr);
  }

  async function drift<T = SettledDriftReport>(args: string[], code: number): Promise<T> {
    const r = await treesnap(['drift', ...args, '--db', db, '--json']);
    assert.equal(r.code, code, `drift ${args.join(' ')}: ${r.stderr}\n${r.stdout}`);
    return JSON.parse(r.stdout) as T;
  }

  /** Waits until /roles/<owner> lists `n` hosts (the chairman wrote it; the push is still to come). */
  function rolesHosts(owner: string, n: number): Promise<string[]> {
    return waitFor(`${n} hosts in /roles/${owner}`, async () => {
      const bytes = await must(zk.data(`/roles/${owner}`));
      const hosts = bytes ? (decodeBinaryUnchecked(photon.Roles, bytes).schedulers?.[0]?.hosts ?? []) : [];
      return hosts.length === n ? hosts : null;
    });
  }

  before(async () => {
    const { connectString } = await freshChroot('settling');
    cluster = await startSimulatedCluster({ zk: connectString, hosts: 5, fanout: 2, registerConcurrency: 1 });
    await cluster.settled();
    zk = await must(openZkSession(connectString));
    dir = mkdtempSync(join(tmpdir(), 'treesnap-settling-'));
    db = join(dir, 'history.db');
    await collect();
  });

  after(async () => {
    await zk?.close();
    await cluster?.stop({ clean: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a lag that ends within the window is settling while it lasts, and never drift', async () => {
    const owner = cluster.hostIds[4]!;
    cluster.delayChairmanPushes(2_000);
    const adding = cluster.addAgents(1);
    await rolesHosts(owner, 2);
    await collect();
    const during = await drift(['latest', '--settle', '30s'], 0);
    assert.deepEqual(during.drift, []);
    assert.deepEqual(during.settling.map(key), [`agent_hosts_differ:${cluster.truth().tree.leaves.find((l) => l.owner === owner)!.id},${owner}`]);
    must(await adding);
    cluster.delayChairmanPushes(0);
    await collect();
    const afterPush = await drift(['latest', '--settle', '30s'], 0);
    assert.deepEqual([afterPush.drift, afterPush.settling], [[], []], 'converged: nothing left');
    const history = await drift<JudgedDriftHistoryReport>(['--since', '1h ago', '--settle', '30s'], 0);
    const episode = history.episodes.find((e) => e.kind === 'agent_hosts_differ')!;
    assert.equal(episode.transient, true, 'shorter than the window: transient');
    assert.equal(history.transient, 1);
  });

  it('a lag that outlives the window is drift (exit 3) once it has', async () => {
    cluster.delayChairmanPushes(15_000);
    const adding = cluster.addAgents(1); // the seventh host: a leaf of its own, its agent told only after 15 s
    const newcomer = await waitFor('the seventh host', async () => cluster.hostIds[6] ?? null);
    await rolesHosts(newcomer, 1);
    await collect();
    const first = await drift(['latest', '--settle', '2s'], 0);
    assert.deepEqual(first.settling.map((i) => i.kind), ['agent_role_differs']);
    await new Promise((r) => setTimeout(r, 2_500)); // the clock passes the 2 s window; nothing is timed
    await collect();
    const later = await drift(['latest', '--settle', '2s'], 3);
    assert.deepEqual(later.drift.map((i) => [i.kind, i.ids[1]]), [['agent_role_differs', newcomer]]);
    cluster.delayChairmanPushes(0);
    must(await adding);
  });
});
