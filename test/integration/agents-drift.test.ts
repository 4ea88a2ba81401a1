// The agents source through the built CLI, on the simulator (real ZooKeeper,
// real Thrift, a real SQLite file): an owner's agent that lost its role or
// reports other hosts is drift; one that is merely slow is unknown, "cannot
// compare", never drift and never "holds no role"; show, diff and history
// say what each agent said. Five hosts with fanout 2 registering one at a
// time give leaves [h0 h1], [h2 h3], [h4], owned by h0, h2, h4.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DiffReport } from '../../src/query/load-diff.js';
import type { SettledDriftReport as DriftReport } from '../../src/query/load-settled-drift.js';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { must } from '../support/must.js';
import { treesnap } from '../support/treesnap-cli.js';
import { freshChroot } from '../support/zookeeper.js';

const key = (i: { kind: string; ids: string[] }) => `${i.kind}:${i.ids.join(',')}`;

describe('agents through the CLI on the simulator', () => {
  let cluster: SimulatedCluster;
  let dir: string;
  let db: string;
  let h: string[];
  let leaf: (owner: string) => string;
  const snap = { healthy: 0, faults: 0, slow: 0 };

  async function collect(...extra: string[]): Promise<number> {
    const r = await treesnap(['collect', '--zk', cluster.zk, '--db', db, '--timeout', '1s', '--json', ...extra]);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { snapshotId: number }).snapshotId;
  }

  async function drift(id: number, code: number): Promise<DriftReport> {
    // --settle 0s: the collections are seconds apart, so with the default window the faults would be settling.
    const r = await treesnap(['drift', String(id), '--settle', '0s', '--db', db, '--json']);
    assert.equal(r.code, code, r.stderr);
    return JSON.parse(r.stdout) as DriftReport;
  }

  before(async () => {
    const { connectString } = await freshChroot('agents-cli');
    cluster = await startSimulatedCluster({ zk: connectString, hosts: 5, fanout: 2, registerConcurrency: 1 });
    await cluster.settled();
    dir = mkdtempSync(join(tmpdir(), 'treesnap-agents-'));
    db = join(dir, 'history.db');
    h = [...cluster.hostIds];
    const leaves = cluster.truth().tree.leaves;
    leaf = (owner) => leaves.find((l) => l.owner === owner)!.id;
    snap.healthy = await collect();
    must(cluster.agentLoseRole(h[0]!));
    must(cluster.agentReportHosts(h[2]!, [h[2]!, h[4]!]));
    snap.faults = await collect();
    await must(cluster.hangAgent(h[4]!));
    snap.slow = await collect();
  });

  after(async () => {
    await cluster?.stop({ clean: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('agrees when every owner holds its leaf with the hosts /roles names', async () => {
    const r = await drift(snap.healthy, 0);
    assert.deepEqual(r.drift, []);
    assert.deepEqual(r.cannotCompare, []);
  });

  it('an owner without its role, and one with other hosts, are drift', async () => {
    const r = await drift(snap.faults, 3);
    assert.deepEqual(r.drift.map(key).sort(), [`agent_role_differs:${leaf(h[0]!)},${h[0]}`, `agent_hosts_differ:${leaf(h[2]!)},${h[2]}`].sort());
    const lost = r.drift.find((i) => i.kind === 'agent_role_differs')!;
    assert.deepEqual(lost.sides, { 'zk.roles': leaf(h[0]!), agents: null });
    // Blast radius: h0's whole leaf (it schedules nothing), and h3 (in /roles, not in h2's list) and h4 (the other way).
    const leaves = new Map(r.blastRadius.leaves.map((l) => [l.id, `${l.affected} of ${l.total}`]));
    assert.deepEqual(leaves, new Map([[leaf(h[0]!), '2 of 2'], [leaf(h[2]!), '1 of 2'], [leaf(h[4]!), '1 of 1']]));
  });

  it('a hung agent is unknown: cannot compare, not drift, and not "no role"', async () => {
    const r = await drift(snap.slow, 3);
    assert.ok(!r.drift.some((i) => i.ids.includes(h[4]!)), 'nothing about h4 is drift');
    const item = r.cannotCompare.find((i) => i.ids.includes(h[4]!));
    assert.equal(item && key(item), `agent_role_differs:${leaf(h[4]!)},${h[4]}`);
    assert.deepEqual(item?.unknownSources, ['agents']);
    const show = await treesnap(['show', String(snap.slow), '--db', db, '--source', 'agents']);
    assert.match(show.stdout, new RegExp(`  ${h[4]}  unknown \\(timeout\\): `));
    assert.match(show.stdout, new RegExp(`  ${h[0]}  holds no role`));
  });

  it('diff and history say what each agent said, and when it changed', async () => {
    const r = await treesnap(['diff', String(snap.healthy), String(snap.slow), '--db', db, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const agents = (JSON.parse(r.stdout) as DiffReport).sources.find((s) => s.source === 'agents')!;
    assert.deepEqual(agents.changes.map((c) => `${c.category} ${c.id}`).sort(), [
      `agent_hosts_changed ${h[2]}`,
      `agent_role_changed ${h[0]}`,
      `agent_role_changed ${h[4]}`,
    ].sort());
    const history = await treesnap(['history', h[0]!, '--db', db]);
    assert.equal(history.code, 0, history.stderr);
    assert.match(history.stdout, new RegExp(`agent holds ${leaf(h[0]!)} → holds no role`));
  });

  it('--agents all asks every registered host', async () => {
    const id = await collect('--agents', 'all');
    const r = await treesnap(['show', String(id), '--db', db, '--json']);
    const view = JSON.parse(r.stdout) as { agents: { value: Record<string, unknown> } };
    assert.deepEqual(Object.keys(view.agents.value).sort(), [...h].sort());
  });
});
