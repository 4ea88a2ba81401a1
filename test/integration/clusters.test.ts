// Several clusters in one history (issue 18 item 3), end to end through the
// built CLI, real ZooKeeper, the simulator and the real PostgreSQL the test
// command starts (TREESNAP_PG): collectors of two clusters write side by side
// into one history, each query answers for its --cluster only, snapshot ids
// are per cluster, `clusters` lists them; `import` copies a SQLite history
// into PostgreSQL so that every command PostgreSQL serves answers byte for
// byte as on the file, and refuses a cluster that already has snapshots.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EXIT } from '../../src/cli/exit-codes.js';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { freshDatabase } from '../support/postgres.js';
import { assertOneLineError, treesnap } from '../support/treesnap-cli.js';
import { freshChroot } from '../support/zookeeper.js';

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

function sqliteHistory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'treesnap-clusters-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'history.db');
}

async function pgHistory(prefix: string): Promise<string> {
  const database = await freshDatabase(prefix);
  cleanups.push(() => database.drop());
  return database.url;
}

async function simulated(prefix: string, hosts: number): Promise<SimulatedCluster> {
  const { connectString } = await freshChroot(prefix);
  const cluster = await startSimulatedCluster({ zk: connectString, hosts, fanout: 4 });
  cleanups.push(() => cluster.stop({ clean: true }));
  return cluster;
}

async function ok(args: string[]): Promise<string> {
  const r = await treesnap(args, { timeoutMs: 120_000 });
  assert.equal(r.code, EXIT.OK, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const collect = (zk: string, db: string, cluster: string) => ok(['collect', '--zk', zk, '--probe-timeout', '1s', '--connect-timeout', '3s', '--json', '--db', db, '--cluster', cluster]);
const snapshotId = (out: string) => (JSON.parse(out) as { snapshotId: number }).snapshotId;
interface Shown {
  snapshot: { id: number };
  registrations: { value: object | null };
}

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`two clusters in one ${engine} history`, () => {
    let east: SimulatedCluster;
    let west: SimulatedCluster;
    let db: string;
    before(async () => {
      [east, west] = [await simulated(`east-${engine}`, 6), await simulated(`west-${engine}`, 10)];
      db = engine === 'sqlite' ? sqliteHistory() : await pgHistory('clusters');
    });

    test('collectors write side by side; ids are per cluster; each query sees its own cluster only', async () => {
      assert.equal(snapshotId(await collect(east.zk, db, 'east')), 1);
      assert.equal(snapshotId(await collect(west.zk, db, 'west')), 1);
      assert.equal(snapshotId(await collect(east.zk, db, 'east')), 2);
      await west.stopAgent([...west.truth().agents.keys()][0]!);
      assert.equal(snapshotId(await collect(west.zk, db, 'west')), 2);
      const show = async (cluster: string, ref: string) => JSON.parse(await ok(['show', ref, '--json', '--all', '--db', db, '--cluster', cluster])) as Shown;
      for (const [cluster, hosts] of [['east', 6], ['west', 10]] as const) {
        for (const ref of ['1', '2']) {
          const s = await show(cluster, ref);
          assert.equal(s.snapshot.id, Number(ref));
          assert.equal(Object.keys(s.registrations.value ?? {}).length, hosts, `${cluster} #${ref}`);
        }
        const listed = JSON.parse(await ok(['snapshots', '--json', '--db', db, '--cluster', cluster])) as { snapshots: { id: number }[] };
        assert.deepEqual(listed.snapshots.map((r) => r.id), [1, 2], cluster);
      }
      // The stopped agent is west's, in west's second snapshot only.
      assert.notDeepEqual(await show('west', '2'), await show('west', '1'));
      const r = await treesnap(['show', '3', '--db', db, '--cluster', 'east']);
      assertOneLineError(r, EXIT.NOT_FOUND, /no snapshot #3/);
    });

    test('the default cluster is empty, and an unknown one is not found', async () => {
      const r = await treesnap(['show', '--db', db]);
      assertOneLineError(r, EXIT.NOT_FOUND, /no snapshot recorded yet/);
      const unknown = await treesnap(['snapshots', '--db', db, '--cluster', 'north']);
      assertOneLineError(unknown, EXIT.NOT_FOUND, /no cluster north in this history/);
    });

    test('clusters lists both with their last collection, text and JSON; TREESNAP_CLUSTER picks one', async () => {
      const listed = JSON.parse(await ok(['clusters', '--json', '--db', db])) as { clusters: { name: string; lastSnapshotId: number; failedSources: number }[] };
      assert.deepEqual(listed.clusters.map((c) => [c.name, c.lastSnapshotId, c.failedSources]), [['east', 2, 0], ['west', 2, 0]]);
      const text = await ok(['clusters', '--db', db]);
      assert.match(text, /^east +#1 +#2 +\S+ +complete$/m);
      assert.match(text, /^west +#1 +#2 +\S+ +complete$/m);
      const viaEnv = await treesnap(['snapshots', '--json', '--db', db], { env: { TREESNAP_CLUSTER: 'west' } });
      assert.equal(viaEnv.stdout, await ok(['snapshots', '--json', '--db', db, '--cluster', 'west']));
    });
  });
}

describe('import a SQLite history into PostgreSQL', () => {
  let file: string;
  let target: string;
  before(async () => {
    const cluster = await simulated('import', 12);
    file = sqliteHistory();
    target = await pgHistory('import');
    await collect(cluster.zk, file, 'default');
    const victim = [...cluster.truth().agents.keys()][1]!;
    await cluster.stopAgent(victim);
    await collect(cluster.zk, file, 'default');
    await cluster.stopChairman();
    // A partial collection (exit 4): the chairman unreadable, so the outcome rows differ per source.
    const partial = await treesnap(['collect', '--zk', cluster.zk, '--probe-timeout', '1s', '--connect-timeout', '3s', '--db', file], { timeoutMs: 120_000 });
    assert.equal(partial.code, EXIT.PARTIAL, partial.stderr);
    await cluster.startChairman();
    await cluster.startAgent(victim);
    await collect(cluster.zk, file, 'default');
    // Another cluster already in the target: the import must not disturb it, nor be numbered after it.
    await collect(cluster.zk, target, 'other');
  });

  test('copies every snapshot under its own id', async () => {
    const out = JSON.parse(await ok(['import', file, '--cluster', 'east', '--json', '--db', target])) as { snapshots: number; firstSnapshotId: number; lastSnapshotId: number };
    assert.deepEqual([out.snapshots, out.firstSnapshotId, out.lastSnapshotId], [4, 1, 4]);
  });

  const COMMANDS = [
    ['snapshots'], ['snapshots', '--json'], ['snapshots', '--limit', '2'],
    ...['1', '2', '3', '4', 'latest~2'].flatMap((ref) => [['show', ref], ['show', ref, '--json'], ['show', ref, '--all', '--json']]),
  ];
  for (const args of COMMANDS) {
    test(`treesnap ${args.join(' ')}: byte for byte as on the file`, async () => {
      const onFile = await treesnap([...args, '--db', file]);
      const onPg = await treesnap([...args, '--db', target, '--cluster', 'east']);
      assert.equal(onFile.code, EXIT.OK, onFile.stderr);
      assert.deepEqual([onPg.code, onPg.stdout, onPg.stderr], [onFile.code, onFile.stdout, onFile.stderr]);
    });
  }

  test('the target lists both clusters; the one already there kept its only snapshot', async () => {
    const listed = JSON.parse(await ok(['clusters', '--json', '--db', target])) as { clusters: { name: string; lastSnapshotId: number; failedSources: number }[] };
    assert.deepEqual(listed.clusters.map((c) => [c.name, c.lastSnapshotId]), [['east', 4], ['other', 1]]);
    const onFile = JSON.parse(await ok(['clusters', '--json', '--db', file])) as { clusters: object[] };
    assert.deepEqual(listed.clusters[0], { ...onFile.clusters[0], name: 'east' });
  });

  test('a cluster that already has snapshots is refused: one line, exit 8, nothing copied', async () => {
    const before = await ok(['snapshots', '--json', '--db', target, '--cluster', 'other']);
    const r = await treesnap(['import', file, '--cluster', 'other', '--db', target]);
    assertOneLineError(r, EXIT.CONFLICT, /^treesnap: cluster other already has snapshots in the target history/);
    assert.equal(await ok(['snapshots', '--json', '--db', target, '--cluster', 'other']), before);
  });

  test('the next collection of the imported cluster is #5', async () => {
    const cluster = await simulated('import-next', 4);
    assert.equal(snapshotId(await collect(cluster.zk, target, 'east')), 5);
  });
});
