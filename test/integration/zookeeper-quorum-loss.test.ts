// When ZooKeeper is the incident: a real three-member ensemble under the
// simulator. Losing one member costs nothing; losing the quorum makes the four
// ZooKeeper sources unknown while the chairman, the root scheduler, the
// probes and the agents (the owners the chairman names) are still read, at the
// leaders' addresses as last read (and the snapshot says from which
// snapshot), in `collect` and in the daemon, whose
// ZooKeeper connect must leave room for them in the tick's budget.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startEnsemble, type Ensemble } from '../../scripts/zookeeper-ensemble.js';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { SOURCES } from '../../src/snapshot/source-name.js';
import { openDatabase } from '../../src/store/open-database.js';
import { sourceOutcomes } from '../../src/store/snapshot-index.js';
import { spawnTreesnap, type LogLine } from '../support/daemon-process.js';
import { treesnap } from '../support/treesnap-cli.js';

const HOSTS = 8;
const ZK_SOURCES = ['zk.hosts', 'zk.missing', 'zk.roles', 'zk.services'];
const WAIT = { timeoutMs: 60_000 };

let ensemble: Ensemble;
let sim: SimulatedCluster;
let dir: string;
let db: string;

before(async () => {
  ensemble = await startEnsemble(3);
  sim = await startSimulatedCluster({ zk: `${ensemble.connectString}/q`, hosts: HOSTS, fanout: 4 });
  dir = mkdtempSync(join(tmpdir(), 'treesnap-quorum-'));
  db = join(dir, 'history.db');
});

after(async () => {
  await sim?.stop({ clean: false });
  await ensemble?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function collect(...extra: string[]) {
  return treesnap(['collect', '--zk', `${ensemble.connectString}/q`, '--db', db, '--json', '--connect-timeout', '2s', '--timeout', '2s', ...extra]);
}

function outcomes(snapshotId: number) {
  const d = openDatabase(db, { readonly: true });
  try {
    return new Map(sourceOutcomes(d, snapshotId).map((o) => [o.source, o]));
  } finally {
    d.$client.close();
  }
}

describe('ZooKeeper loses members', () => {
  let lastFull = 0;

  test('one member of three lost: every source read, as before', async () => {
    const first = await collect();
    assert.equal(first.code, 0, first.stderr);
    await ensemble.stopMember(0);
    try {
      const r = await collect();
      assert.equal(r.code, 0, r.stderr);
      const s = JSON.parse(r.stdout) as { snapshotId: number; failedSources: string[] };
      assert.deepEqual(s.failedSources, []);
      lastFull = s.snapshotId;
    } finally {
      ensemble.startMember(0);
      await ensemble.serving();
    }
  });

  test('quorum lost: ZooKeeper unknown, the chairman, the root scheduler, the probes and the owners the chairman names read', async () => {
    assert.ok(lastFull > 0, 'needs the first test');
    const before = outcomes(lastFull);
    await ensemble.stopMember(0);
    await ensemble.stopMember(1);
    try {
      const r = await collect();
      assert.equal(r.code, 4, `partial: ${r.stderr}`);
      const s = JSON.parse(r.stdout) as { snapshotId: number; failedSources: string[] };
      assert.deepEqual([...s.failedSources].sort(), ZK_SOURCES);
      const o = outcomes(s.snapshotId);
      for (const source of ['chairman', 'root'] as const) {
        const x = o.get(source)!;
        assert.equal(x.ok, true, `${source}: ${x.errorMessage}`);
        assert.equal(x.endpoint, before.get(source)!.endpoint, `${source} read where it was last read`);
        assert.equal(x.stats.address_from_snapshot, lastFull, `${source} says which snapshot its address comes from`);
      }
      const status = o.get('status')!;
      assert.equal(status.ok, true, status.errorMessage ?? '');
      assert.equal(status.stats.online, HOSTS + 1, 'every agent the chairman knows, and the root scheduler');
      assert.equal(o.get('zk.roles')!.errorKind, 'timeout');
      const agents = o.get('agents')!;
      assert.equal(agents.ok, true, `the owners the chairman names are asked: ${agents.errorMessage}`);
      assert.equal(agents.stats.asked, before.get('agents')!.stats.asked);

      const shown = await treesnap(['show', 'latest', '--db', db]);
      assert.equal(shown.code, 0, shown.stderr);
      assert.match(shown.stdout, new RegExp(`chairman ok \\(\\d+ms\\) at ${before.get('chairman')!.endpoint}, the leader's address as last read in #${lastFull} \\(ZooKeeper unreadable\\)`));

      // A second collection in the outage keeps naming the snapshot ZooKeeper last answered in.
      const again = await collect();
      assert.equal(again.code, 4, again.stderr);
      const id = (JSON.parse(again.stdout) as { snapshotId: number }).snapshotId;
      assert.equal(outcomes(id).get('chairman')!.stats.address_from_snapshot, lastFull);
    } finally {
      ensemble.startMember(0);
      ensemble.startMember(1);
      await ensemble.serving();
    }
  });

  test('the daemon keeps reading the chairman, the root scheduler, the probes and the agents through a quorum loss', { timeout: 180_000 }, async () => {
    // The default connect timeout (5 s) is longer than this schedule's budget (1.6 s): only a ZooKeeper
    // connect held to its share of the budget leaves time for the other sources.
    const d = spawnTreesnap(['run', '--zk', `${ensemble.connectString}/q`, '--db', db, '--cron', '*/2 * * * * *', '--timeout', '1s', '--probe-timeout', '500ms', '--log-format', 'json']);
    const collection = (pred: (l: LogLine) => boolean, from: number, what: string) =>
      d.waitFor((l) => l.msg === 'collection' && pred(l), { ...WAIT, from, what });
    const failed = (l: LogLine) => [...((l.failed as string[] | undefined) ?? [])].sort();
    try {
      const ok = await collection((l) => failed(l).length === 0, 0, 'a complete collection');
      await ensemble.stopMember(0);
      await ensemble.stopMember(1);
      const lost = await collection((l) => failed(l).join() === ZK_SOURCES.join(), ok.index + 1, 'ZooKeeper unknown, the rest read');
      const second = await collection(() => true, lost.index + 1, 'the next tick');
      assert.deepEqual(failed(second.line), ZK_SOURCES, `the next tick in the outage: ${JSON.stringify(second.line)}`);
      ensemble.startMember(0);
      ensemble.startMember(1);
      await ensemble.serving();
      await collection((l) => !failed(l).some((s) => s.startsWith('zk.')), second.index + 1, 'ZooKeeper read again');
      const exit = await d.stop('SIGTERM');
      assert.deepEqual(exit, { code: 0, signal: null }, d.stderr());
      const statusRead = d.lines.filter((l) => l.msg === 'collection' && failed(l).join() === ZK_SOURCES.join());
      assert.ok(statusRead.length >= 2);
      // The rest: the chairman, the root scheduler, the probes and the agents.
      assert.ok(SOURCES.length === ZK_SOURCES.length + 4);
    } finally {
      await d.stop('SIGKILL');
    }
  });
});
