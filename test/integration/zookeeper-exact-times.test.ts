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
import { connectWriter } from '../support/zk-write.js';
import { codeOf } from '../../src/store/source-codes.js';

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
  const stats = d.$client.prepare(`SELECT count(*) AS n FROM fact_versions WHERE source = ${codeOf("'zk.stat'")}`).get() as { n: number };
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
  // diff names the same time for the change; read backwards there is no later write to time.
  const diffOf = async (a: string, b: string) => {
    const r = await treesnap(['diff', a, b, '--source', 'zk', '--db', db, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const sources = (JSON.parse(r.stdout) as { sources: { changes: { category: string; id: string; exact?: unknown }[] }[] }).sources;
    return sources.flatMap((s) => s.changes).find((c) => c.category.startsWith('missing_') && c.id === host);
  };
  assert.deepEqual((await diffOf('1', '2'))?.exact, start.exact);
  assert.equal((await diffOf('2', '1'))?.exact, undefined);
  const diffText = await treesnap(['diff', '1', '2', '--source', 'zk', '--db', db]);
  assert.match(diffText.stdout, new RegExp(`${host}\\s+reported missing\\s+at ${new Date(start.exact.at).toISOString()} \\(ZooKeeper: ctime of /missing/${host}\\)`));

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

test('changes made and undone between two collections are told as hidden changes, never as silence', async () => {
  const db2 = join(dir, 'hidden.db');
  const run = async (...args: string[]) => {
    const r = await treesnap([...args, '--db', db2]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };
  const w = await connectWriter(zk);
  let owner = '';
  try {
    await new Promise<void>((resolve, reject) => w.client.mkdirp('/missing', (e) => (e ? reject(e) : resolve())));
    await run('collect', '--zk', zk);
    // A missing report made and withdrawn, and a /roles node rewritten with the value it had.
    const host = sim.hostIds[4]!;
    assert.ok((await sim.reportMissing([host])).ok);
    assert.ok((await sim.reportResurrected([host])).ok);
    const owners = await new Promise<string[]>((resolve, reject) => w.client.getChildren('/roles', (e, c) => (e ? reject(e) : resolve(c))));
    owner = owners.sort()[0]!;
    assert.ok((await sim.rewriteRole(owner)).ok);
    await run('collect', '--zk', zk);
  } finally {
    w.close();
  }
  type Event = { type: string; path?: string; changes?: number; seen?: number; recreated?: boolean; at: Bounds };
  const events = (JSON.parse(await run('timeline', '--since', '1h ago', '--json')) as { events: Event[] }).events;
  assert.deepEqual(events.filter((e) => e.type === 'change'), [], 'nothing changed as far as the two collections can see');
  const hidden = events.filter((e) => e.type === 'hidden_changes').map(({ at, ...e }) => ({ ...e, between: [at.after?.id, at.by.id] }));
  assert.deepEqual(
    hidden.sort((a, b) => (a.path! < b.path! ? -1 : 1)),
    [
      { type: 'hidden_changes', source: 'zk.missing', path: '/missing', changes: 2, seen: 0, recreated: false, between: [1, 2] },
      { type: 'hidden_changes', source: 'zk.roles', path: `/roles/${owner}`, changes: 1, seen: 0, recreated: false, between: [1, 2] },
    ],
  );
  const text = await run('timeline', '--since', '1h ago');
  assert.match(text, /zk\.missing\s+\/missing\s+changed 2 times in ZooKeeper, 0 seen: 2 changes not seen/);
  // diff says the same; with no watcher (plain collects) none of them was watched.
  const diff = JSON.parse(await run('diff', '1', '2', '--json')) as { total: number; hidden?: { path: string }[] };
  assert.equal(diff.total, 0);
  assert.deepEqual(diff.hidden, [
    { source: 'zk.missing', path: '/missing', changes: 2, seen: 0, watched: 0, recreated: false },
    { source: 'zk.roles', path: `/roles/${owner}`, changes: 1, seen: 0, watched: 0, recreated: false },
  ]);
  assert.match(await run('diff', '1', '2'), /zk\.missing\s+\/missing\s+changed 2 times in ZooKeeper, 0 in this diff: 2 not watched/);
  assert.equal((JSON.parse(await run('diff', '2', '1', '--json')) as { hidden?: unknown }).hidden, undefined, 'backwards: none');
});

test('a chairman that leaves and comes back between two collections: its new member node times it to the millisecond', async () => {
  const db3 = join(dir, 'leader.db');
  const collect3 = async () => {
    const r = await treesnap(['collect', '--zk', zk, '--db', db3, '--json']);
    assert.equal(r.code, 0, r.stderr);
  };
  await collect3();
  const t0 = Date.now();
  assert.ok((await sim.flapLeader('chairman', 300)).ok);
  const t1 = Date.now();
  await collect3();
  const tl = await treesnap(['timeline', '--since', '1h ago', '--db', db3, '--json']);
  type Event = { type: string; at: Bounds; change?: { category: string; id: string } };
  const events = (JSON.parse(tl.stdout) as { events: Event[] }).events;
  const added = events.filter((e) => e.change?.category === 'member_added' && e.change.id.startsWith('chairman/'));
  assert.equal(added.length, 1, JSON.stringify(events));
  const exact = added[0]!.at.exact;
  assert.match(exact?.record ?? '', /^mtime of \/services\/chairman\/.+/);
  assert.ok(exact!.at >= t0 + 300 - 5 && exact!.at <= t1 + 5, `registered at ${exact!.at}, after the 300 ms away, within [${t0}, ${t1}]`);
  const removed = events.filter((e) => e.change?.category === 'member_removed' && e.change.id.startsWith('chairman/'));
  assert.equal(removed.length, 1);
  assert.equal(removed[0]!.at.exact, undefined, 'a member that left leaves no node to time it');
});

test('drift --since: an episode opened or closed by one ZooKeeper write is timed by its Stat', async () => {
  const db4 = join(dir, 'drift.db');
  const run = async (...args: string[]) => {
    const r = await treesnap([...args, '--db', db4]);
    assert.ok(r.code === 0 || (args[0] === 'drift' && r.code === 3), r.stderr);
    return r.stdout;
  };
  const w = await connectWriter(zk);
  const owners = await new Promise<string[]>((resolve, reject) => w.client.getChildren('/roles', (e, c) => (e ? reject(e) : resolve(c))));
  w.close();
  const [reported, stopped] = sim.hostIds.filter((h) => !owners.includes(h)).slice(-2) as [string, string];
  await run('collect', '--zk', zk);
  const t0 = Date.now();
  assert.ok((await sim.reportMissing([reported])).ok);
  const t1 = Date.now();
  await run('collect', '--zk', zk);
  assert.ok((await sim.stopAgent(stopped)).ok);
  await run('collect', '--zk', zk);
  assert.ok((await sim.reportMissing([stopped])).ok);
  await run('collect', '--zk', zk);
  try {
    type Episode = { kind: string; ids: string[]; start: Bounds; endBy: { id: number } | null; endExact?: { at: number; record: string } };
    const episodes = (JSON.parse(await run('drift', '--since', '1h ago', '--json')) as { episodes: Episode[] }).episodes;
    const find = (kind: string, id: string) => episodes.find((e) => e.kind === kind && e.ids[0] === id);
    // Opened by /missing/<host> alone: the ctime of its node, as `missing` says.
    const placed = find('missing_but_placed', reported);
    assert.ok(placed, JSON.stringify(episodes));
    assert.equal(placed.start.exact?.record, `ctime of /missing/${reported}`);
    assert.ok(placed.start.exact.at >= t0 - 5 && placed.start.exact.at <= t1 + 5);
    assert.deepEqual([placed.start.after?.id, placed.start.by.id], [1, 2], 'the bounds stay');
    const missing = JSON.parse(await run('missing', '--host', reported, '--json')) as { missing: { episodes: { start: Bounds }[] }[] };
    assert.deepEqual(placed.start.exact, missing.missing[0]!.episodes[0]!.start.exact);
    // Opened by a probe (no Stat): bounds only; closed by /missing/<host> alone: its ctime.
    const offline = find('offline_not_missing', stopped);
    assert.ok(offline, JSON.stringify(episodes));
    assert.equal(offline.start.exact, undefined, 'a probe has no Stat');
    assert.equal(offline.endBy?.id, 4);
    assert.equal(offline.endExact?.record, `ctime of /missing/${stopped}`);
    const text = await run('drift', '--since', '1h ago', '--settle', '0s');
    assert.match(text, new RegExp(`${stopped}\\s+started between .*ended ${new Date(offline.endExact!.at).toISOString()} \\(ZooKeeper: ctime of /missing/${stopped}\\)`));
    assert.match(text, new RegExp(`${reported}\\s+started ${new Date(placed.start.exact.at).toISOString()} \\(ZooKeeper: ctime of /missing/${reported}\\)`));
  } finally {
    await sim.reportResurrected([reported, stopped]);
    await sim.startAgent(stopped);
  }
});
