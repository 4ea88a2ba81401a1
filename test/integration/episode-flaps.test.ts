// Against a real ZooKeeper, the simulator and the CLI: a missing episode (and
// the drift episode it makes) whose /missing node was withdrawn and reported
// again between two plain collections says it may have flapped in between,
// from the node's Stat (a new czxid); one left alone says nothing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { treesnap } from '../support/treesnap-cli.js';
import { freshChroot } from '../support/zookeeper.js';
import { connectWriter } from '../support/zk-write.js';

let sim: SimulatedCluster;
let zk: string;
let dir: string;
let db: string;

before(async () => {
  ({ connectString: zk } = await freshChroot('flaps'));
  sim = await startSimulatedCluster({ zk, hosts: 6, fanout: 3 });
  dir = mkdtempSync(join(tmpdir(), 'treesnap-flaps-'));
  db = join(dir, 'history.db');
});

after(async () => {
  await sim?.stop({ clean: false });
  rmSync(dir, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<string> {
  const r = await treesnap([...args, '--db', db]);
  assert.ok(r.code === 0 || (args[0] === 'drift' && r.code === 3), r.stderr);
  return r.stdout;
}

type Flap = { changes: number; paths: string[] };

test('an episode whose /missing node was withdrawn and reported again between collections may have flapped; one left alone says nothing', async () => {
  const w = await connectWriter(zk);
  const owners = await new Promise<string[]>((resolve, reject) => w.client.getChildren('/roles', (e, c) => (e ? reject(e) : resolve(c))));
  w.close();
  const [flapper, steady] = sim.hostIds.filter((h) => !owners.includes(h)).slice(-2) as [string, string];
  await run('collect', '--zk', zk);
  assert.ok((await sim.reportMissing([flapper, steady])).ok);
  await run('collect', '--zk', zk);
  // Gone and back between two collections: neither sees it, the node's Stat does.
  assert.ok((await sim.reportResurrected([flapper])).ok);
  assert.ok((await sim.reportMissing([flapper])).ok);
  await run('collect', '--zk', zk);
  await run('collect', '--zk', zk);

  type Episode = { mayHaveFlapped?: Flap; endBy: unknown };
  const missing = JSON.parse(await run('missing', '--json')) as { missing: { host: string; episodes: Episode[] }[] };
  const episodes = (host: string) => missing.missing.find((h) => h.host === host)!.episodes;
  assert.equal(episodes(flapper).length, 1, 'the collections saw one episode');
  assert.deepEqual(episodes(flapper)[0]!.mayHaveFlapped, { changes: 2, paths: [`/missing/${flapper}`] });
  assert.equal(episodes(steady)[0]!.mayHaveFlapped, undefined, 'nothing said where the Stat shows nothing hidden');
  assert.match(await run('missing', '--host', flapper), /may have flapped in between \(2 changes not seen\)/);
  assert.doesNotMatch(await run('missing', '--host', steady), /may have flapped/);

  type DriftEpisode = Episode & { kind: string; ids: string[] };
  const drift = (JSON.parse(await run('drift', '--since', '1h ago', '--json')) as { episodes: DriftEpisode[] }).episodes;
  const placed = (host: string) => drift.find((e) => e.kind === 'missing_but_placed' && e.ids[0] === host)!;
  assert.deepEqual(placed(flapper).mayHaveFlapped, { changes: 2, paths: [`/missing/${flapper}`] });
  assert.equal(placed(steady).mayHaveFlapped, undefined);
  const text = await run('drift', '--since', '1h ago');
  assert.match(text, new RegExp(`${flapper}\\s+started .*may have flapped in between \\(2 changes not seen\\)`));
  assert.doesNotMatch(text, new RegExp(`${steady}\\s+started .*may have flapped`));

  const report = await run('report', '--since', '1h ago', '--format', 'md');
  assert.match(report, /may have flapped in between \(2 changes not seen\)/);
});
