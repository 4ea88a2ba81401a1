// Exact times from ZooKeeper's own records, end to end: a real ZooKeeper, the
// simulator and the CLI. A host reported missing between two collections is
// shown at the ctime of its /missing node (ZooKeeper's clock, which on this
// machine is the test's clock), with the two collections' bounds kept beside
// it; its return, which leaves no node behind, keeps only the bounds.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { openDatabase } from '../../src/store/open-database.js';
import { treesnap } from '../support/treesnap-cli.js';
import { freshChroot } from '../support/zookeeper.js';

let sim: SimulatedCluster;
let zk: string;
let dir: string;
let db: string;

before(async () => {
  ({ connectString: zk } = await freshChroot('exact'));
  sim = await startSimulatedCluster({ zk, hosts: 6, fanout: 3 });
  dir = mkdtempSync(join(tmpdir(), 'treesnap-exact-'));
  db = join(dir, 'history.db');
});

after(async () => {
  await sim?.stop({ clean: false });
  rmSync(dir, { recursive: true, force: true });
});

async function collect(): Promise<void> {
  const r = await treesnap(['collect', '--zk', zk, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
}

interface Bounds {
  after: { id: number; startedAt: number } | null;
  by: { id: number; startedAt: number };
  exact?: { at: number; record: string };
}

test('a host reported missing between two collections: the ctime of /missing/<host>, to the millisecond', async () => {
  await collect();
  const host = sim.hostIds[2]!;
  const t0 = Date.now();
  const reported = await sim.reportMissing([host]);
  const t1 = Date.now();
  assert.ok(reported.ok);
  await collect();
  const d = openDatabase(db, { readonly: true });
  const stats = d.$client.prepare("SELECT count(*) AS n FROM fact_versions WHERE source = 'zk.stat'").get() as { n: number };
  d.$client.close();
  assert.ok(stats.n > 6, 'every node read has its Stat');

  const m = await treesnap(["missing", "--host", host, "--db", db, "--json"]);
  assert.equal(m.code, 0, m.stderr);
  const start = (JSON.parse(m.stdout) as { missing: { episodes: { start: Bounds }[] }[] }).missing[0]!.episodes[0]!.start;
  assert.equal(start.exact?.record, `ctime of /missing/${host}`);
  assert.ok(start.exact.at >= t0 - 5 && start.exact.at <= t1 + 5, `ctime ${start.exact.at} within the call [${t0}, ${t1}]`);
  assert.deepEqual([start.after?.id, start.by.id], [1, 2], 'the bounds stay');

  const text = await treesnap(['missing', '--host', host, '--db', db]);
  assert.match(text.stdout, new RegExp(`missing since ${new Date(start.exact.at).toISOString()} \\(ZooKeeper: ctime of /missing/${host}\\)`));

  const tl = await treesnap(['timeline', '--since', '1h ago', '--db', db, '--json']);
  const added = (JSON.parse(tl.stdout) as { events: { type: string; at: Bounds; change?: { category: string; id: string } }[] }).events.find(
    (e) => e.change?.category === 'missing_added' && e.change.id === host,
  );
  assert.deepEqual(added?.at.exact, start.exact);
  const hist = await treesnap(['history', host, '--db', db, '--json']);
  const event = (JSON.parse(hist.stdout) as { events: { at: Bounds; change?: { category: string } }[] }).events.find((e) => e.change?.category === 'missing_added');
  assert.deepEqual(event?.at.exact, start.exact);

  // Resurrected: no node is left to time it, so only the bounds.
  assert.ok((await sim.reportResurrected([host])).ok);
  await collect();
  const tl2 = await treesnap(['timeline', '--since', '1h ago', '--db', db, '--json']);
  const removed = (JSON.parse(tl2.stdout) as { events: { at: Bounds; change?: { category: string; id: string } }[] }).events.find(
    (e) => e.change?.category === 'missing_removed' && e.change.id === host,
  );
  assert.ok(removed);
  assert.equal(removed.at.exact, undefined);
  assert.deepEqual([removed.at.after?.id, removed.at.by.id], [2, 3]);
});
