// The query layer end to end on an incident injected into the simulator (real
// ZooKeeper, real Thrift, real SQLite, the built CLI): every drift kind the
// checks know is produced by a fault and reported by `drift` (from the drift
// recorded by `collect`), `drift --since` opens an episode for each, a
// missing episode opens and closes with the reads around it as bounds, and
// `diff` answers exactly the change set injected.
//
// Eight hosts with fanout 2, registering one at a time: leaves L0 [h0 h1],
// L1 [h2 h3], L2 [h4 h5], L3 [h6 h7], owned by h0, h2, h4, h6.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DiffReport } from '../../src/query/load-diff.js';
import type { DriftHistoryReport } from '../../src/query/load-drift-history.js';
import type { DriftReport } from '../../src/query/load-drift.js';
import type { MissingReport } from '../../src/query/load-missing.js';
import { DRIFT_KINDS } from '../../src/query/drift.js';
import { recordedThrough } from '../../src/query/recorded-drift.js';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { fakeHostConfig, newFleet } from '../../src/sim/fake-host-config.js';
import { unusedPort } from '../../src/sim/faults.js';
import { hostPath } from '../../src/sim/zk-paths.js';
import { openDatabase } from '../../src/store/open-database.js';
import { encodeBinary } from '../../src/wire/thrift-binary.js';
import { treesnap } from '../support/treesnap-cli.js';
import { freshChroot } from '../support/zookeeper.js';
import { must } from '../support/must.js';


describe('queries on an incident injected into the simulator', () => {
  let cluster: SimulatedCluster;
  let dir: string;
  let db: string;
  let h: string[];
  let leaf: (owner: string) => string;
  let newHost: string;
  /** The ninth host's own leaf. */
  let L4: string;
  const ORPHAN = 'orphan-1';
  const snap = { before: 0, during: 0, after: 0 };

  async function collect(): Promise<number> {
    const ep = (e: { host: string; port: number }) => `${e.host}:${e.port}`;
    const r = await treesnap(['collect', '--zk', cluster.zk, '--chairman', ep(cluster.chairman), '--root', ep(cluster.rootScheduler), '--db', db, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', 'drift recorded without complaint');
    return (JSON.parse(r.stdout) as { snapshotId: number }).snapshotId;
  }

  async function query<T>(args: string[], code = 0): Promise<T> {
    const r = await treesnap([...args, '--db', db, '--json']);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  }

  before(async () => {
    const { connectString } = await freshChroot('incident');
    cluster = await startSimulatedCluster({ zk: connectString, hosts: 8, fanout: 2, registerConcurrency: 1 });
    dir = mkdtempSync(join(tmpdir(), 'treesnap-incident-'));
    db = join(dir, 'history.db');
    h = [...cluster.hostIds];
    const leaves = cluster.truth().tree.leaves;
    leaf = (owner) => leaves.find((l) => l.owner === owner)!.id;
    snap.before = await collect();

    // A ninth host gets a leaf of its own (L4), persisted; then the chairman's memory diverges.
    newHost = (await must(cluster.addAgents(1)))[0]!;
    L4 = cluster.truth().tree.leaves.find((l) => l.hosts.some((x) => x.id === newHost))!.id;
    await must(cluster.divergeChairman(h[0]!, leaf(h[2]!)));
    await must(cluster.divergeChairman(newHost!, leaf(h[4]!)));
    await must(cluster.registerOrphanHost(ORPHAN));
    await must(cluster.removeMember(hostPath(h[3]!)));
    const port = await must(unusedPort('127.0.0.1'));
    const moved = fakeHostConfig(newFleet(), 0, h[5]!, { host: '127.0.0.1', port });
    await must(cluster.writeCorruptValue(hostPath(h[5]!), encodeBinary(moved)));
    await must(cluster.writeCorruptValue(hostPath(h[7]!)));
    await must(cluster.reportMissing([h[1]!]));
    await must(cluster.stopAgent(h[6]!));
    await must(cluster.addSecondMember('chairman'));
    await must(cluster.removeMember(cluster.truth().rootScheduler.memberPath!));
    // The owners' own view: h4 lost its role, h2 reports only itself.
    await cluster.settled();
    must(cluster.agentLoseRole(h[4]!));
    must(cluster.agentReportHosts(h[2]!, [h[2]!]));
    snap.during = await collect();

    await must(cluster.reportResurrected([h[1]!]));
    snap.after = await collect();
  });

  after(async () => {
    await cluster?.stop({ clean: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('collect recorded the drift of every snapshot', () => {
    const reader = openDatabase(db, { readonly: true });
    try {
      assert.equal(recordedThrough(reader), snap.after);
    } finally {
      reader.$client.close();
    }
  });

  it('drift reports every kind of disagreement, each where it was injected, and nothing else', async () => {
    assert.equal((await query<DriftReport>(['drift', String(snap.before)])).total, 0, 'no drift before the incident');
    // --settle 0s: the incident is seconds old at snap.during, so with the default window it would be settling.
    const r = await query<DriftReport>(['drift', String(snap.during), '--settle', '0s'], 3);
    const [L0, L1, L2] = [leaf(h[0]!), leaf(h[2]!), leaf(h[4]!)];
    const expected = [
      `leaf_in_one_source:${L4}`,
      `leaf_owner_differs:${L0}`,
      `leaf_hosts_differ:${L0}`,
      `leaf_hosts_differ:${L1}`,
      `leaf_hosts_differ:${L2}`,
      `root_children_differ:${L0}`,
      `root_children_differ:${L4}`,
      `agent_role_differs:${L2},${h[4]}`,
      `agent_hosts_differ:${L1},${h[2]}`,
      `host_address_differs:${h[5]}`,
      // the chairman's memory places h0 in L1 and the ninth host in L2
      `host_placement_differs:${h[0]}`,
      `host_placement_differs:${newHost}`,
      `registered_not_placed:${ORPHAN}`,
      `placed_not_registered:${h[3]}`,
      `missing_but_placed:${h[1]}`,
      `missing_but_online:${h[1]}`,
      `offline_not_missing:${h[6]}`,
      `offline_not_missing:${ORPHAN}`,
      // probes go to the address /hosts names: h5's is now a port nothing listens on
      `offline_not_missing:${h[5]}`,
      'service_no_leader:root-scheduler',
      'service_several_members:chairman',
      `node_error:/hosts/${h[7]}`,
    ];
    assert.deepEqual(r.drift.map((i) => `${i.kind}:${i.ids.join(',')}`).sort(), expected.sort());
    assert.deepEqual(new Set(r.drift.map((i) => i.kind)), new Set(DRIFT_KINDS), 'every kind the checks know');
    // h6's agent is stopped: unknown, so its leaf's agent check cannot be made (never drift, never "no role").
    assert.deepEqual(r.cannotCompare.map((i) => [`${i.kind}:${i.ids.join(',')}`, i.unknownSources]), [[`agent_role_differs:${leaf(h[6]!)},${h[6]}`, ['agents']]]);
    const onlyZk = r.drift.find((i) => i.kind === 'leaf_in_one_source')!;
    assert.deepEqual((onlyZk.sides['zk.roles'] as { hosts: string[] }).hosts, [newHost], 'what /roles says of the leaf');
    assert.equal(onlyZk.sides.chairman, null, 'the chairman has no such leaf');
  });

  it('drift --since opens an episode for each, starting between the reads around the incident', async () => {
    const r = await query<DriftHistoryReport>(['drift', '--since', '1h ago', '--settle', '0s'], 3);
    const started = r.episodes.filter((e) => e.start.by.id === snap.during);
    assert.equal(started.length, 22);
    for (const e of started) assert.equal(e.start.after?.id, snap.before, `${e.kind} ${e.ids}`);
    const missing = r.episodes.filter((e) => e.kind.startsWith('missing_but'));
    for (const e of missing) assert.equal(e.endBy?.id, snap.after, `${e.kind} closed when /missing no longer listed it`);
  });

  it('a missing episode opens and closes with the reads around each edge as bounds', async () => {
    const r = await query<MissingReport>(['missing', '--host', h[1]!]);
    assert.equal(r.missing.length, 1);
    const [episode, ...more] = r.missing[0]!.episodes;
    assert.equal(more.length, 0);
    assert.equal(episode!.start.after?.id, snap.before);
    assert.equal(episode!.start.by.id, snap.during);
    assert.equal(episode!.lastSeen.id, snap.during);
    assert.equal(episode!.endBy?.id, snap.after);
    assert.equal(episode!.answeredProbe, true, 'it answered its probe while listed');
  });

  it('diff answers exactly the change set injected', async () => {
    const r = await query<DiffReport>(['diff', String(snap.before), String(snap.during)]);
    const got = r.sources.flatMap((s) => s.changes.map((c) => `${s.source} ${c.category} ${c.id}`)).sort();
    const L0 = leaf(h[0]!);
    const expected = [
      // the ninth host, its leaf and registration
      `zk.roles leaf_added ${L4}`,
      `zk.roles host_added ${newHost}`,
      `zk.hosts registration_added ${newHost}`,
      `root leaf_added ${L4}`,
      `status status_changed ${newHost}`,
      // the chairman's memory: h0 moved from L0 (now owned by h1), the ninth host straight into L2
      `chairman host_moved ${h[0]}`,
      `chairman host_added ${newHost}`,
      `chairman leaf_owner_changed ${L0}`,
      `chairman leaf_address_changed ${L0}`,
      // /hosts
      `zk.hosts registration_added ${ORPHAN}`,
      `status status_changed ${ORPHAN}`,
      `zk.hosts registration_removed ${h[3]}`,
      `zk.hosts host_address_changed ${h[5]}`,
      `zk.hosts host_config_changed ${h[5]}`,
      `status status_changed ${h[5]}`,
      `zk.hosts node_error_added /hosts/${h[7]}`,
      // /missing, the stopped agent, the services
      `zk.missing missing_added ${h[1]}`,
      `status status_changed ${h[6]}`,
      'zk.services leader_changed chairman',
      'zk.services leader_changed root-scheduler',
      // the owners' own view: the ninth host now asked, h4's role lost, h2's hosts, h6 not answering
      `agents agent_role_changed ${newHost}`,
      `agents agent_role_changed ${h[4]}`,
      `agents agent_hosts_changed ${h[2]}`,
      `agents agent_role_changed ${h[6]}`,
    ];
    const members = got.filter((c) => c.startsWith('zk.services member_'));
    assert.deepEqual(members.map((c) => c.split(' ').slice(0, 2).join(' ')).sort(), ['zk.services member_added', 'zk.services member_removed']);
    assert.deepEqual(got.filter((c) => !c.startsWith('zk.services member_')), expected.sort());
  });
});
