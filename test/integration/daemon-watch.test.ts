// The daemon's watcher, end to end: `treesnap run` as a process on a seconds
// cron against the simulator on its own ZooKeeper. A chairman that leaves and
// comes back between two ticks is shown in `timeline` as the watcher saw it,
// in zxid order, with ZooKeeper's time of the new member node lying inside
// the interval; a ZooKeeper that goes away gives a recorded gap ("changes not
// watched from T1 to T2"), never silence. Times are compared with the
// simulator's calls and the ticks around them, never as durations.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startZookeeper, type ZkServer } from '../../scripts/zookeeper-server.js';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { spawnTreesnap, type LogLine, type TreesnapProcess } from '../support/daemon-process.js';
import { treesnap } from '../support/treesnap-cli.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { openDatabase } from '../../src/store/open-database.js';
import { loadWatchContradictions } from '../../src/query/load-watch-consistency.js';
import { parsePrometheusText, promValue } from '../support/prometheus-text.js';
import { codeOf } from '../../src/store/source-codes.js';

const WAIT = { timeoutMs: 60_000 };

let dir: string;
let zkDataDir: string;
let zk: ZkServer;
let sim: SimulatedCluster | undefined;
let d: TreesnapProcess | undefined;
let db: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'treesnap-watch-'));
  zkDataDir = join(dir, 'zk');
  mkdirSync(zkDataDir);
  zk = await startZookeeper({ dataDir: zkDataDir });
  sim = await startSimulatedCluster({ zk: `${zk.connectString}/sim`, hosts: 6, fanout: 3 });
  db = join(dir, 'history.db');
  d = spawnTreesnap([
    'run', '--zk', `${zk.connectString}/sim`, '--db', db,
    '--cron', '*/3 * * * * *', '--connect-timeout', '2s', '--timeout', '2s', '--probe-timeout', '500ms',
    '--log-format', 'json', '--log-level', 'info', '--metrics-port', '0',
  ]);
});

async function metric(name: string): Promise<number> {
  const { line } = await d!.waitFor((l) => l.msg === 'started', { ...WAIT, what: 'started' });
  return promValue(parsePrometheusText(await (await fetch(String(line.metrics))).text()), name);
}

after(async () => {
  await d?.stop('SIGKILL');
  await sim?.stop({ clean: false });
  await zk?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Mark {
  id: number;
  startedAt: number;
}
interface Event {
  type: string;
  at: { after: Mark | null; by: Mark; exact?: { at: number; record: string } };
  path?: string;
  kind?: string;
  added?: string[];
  removed?: string[];
  zxid?: string;
  time?: { at: number; origin: string; record: string };
  change?: { category: string; id: string };
  from?: number;
  to?: number | null;
  reason?: string;
}

const isCollection = (l: LogLine) => l.msg === 'collection';

async function timeline(): Promise<Event[]> {
  const r = await treesnap(['timeline', '--since', '1h ago', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { events: Event[] }).events;
}

/** The index of the first collection logged after `from` (and its snapshot id). */
async function nextCollection(from: number, what: string): Promise<{ index: number; snapshot: number }> {
  const { line, index } = await d!.waitFor(isCollection, { ...WAIT, from, what });
  return { index, snapshot: Number(line.snapshot) };
}

test('a chairman leader flap between two ticks: watched, in zxid order, with its times inside the interval', { timeout: 180_000 }, async () => {
  const watching = await d!.waitFor((l) => l.msg === 'watching', { ...WAIT, what: 'the watcher loaded' });
  assert.ok(Number(watching.line.watches) >= 5, `watches ${watching.line.watches}`);
  assert.equal(await metric('treesnap_watches'), Number(watching.line.watches));
  const before = await nextCollection(watching.index + 1, 'a collection with the watcher on');
  const t0 = Date.now();
  assert.ok((await sim!.flapLeader('chairman', 300)).ok);
  const t1 = Date.now();
  // The flap ends before the next collection starts unless the machine is very slow; the events go
  // with whichever snapshot closes their interval, so wait for two.
  const c1 = await nextCollection(before.index + 1, 'a collection after the flap');
  await nextCollection(c1.index + 1, 'a second collection after the flap');

  const events = await timeline();
  const removedMember = events.find((e) => e.change?.category === 'member_removed' && e.change.id.startsWith('chairman/'));
  const addedMember = events.find((e) => e.change?.category === 'member_added' && e.change.id.startsWith('chairman/'));
  assert.ok(removedMember && addedMember, JSON.stringify(events));
  const oldName = removedMember.change!.id.slice('chairman/'.length);
  const newName = addedMember.change!.id.slice('chairman/'.length);

  const watched = events.filter((e) => e.type === 'watched' && e.path?.startsWith('/services/chairman'));
  const left = watched.findIndex((e) => e.kind === 'children' && e.removed?.includes(oldName));
  const registered = watched.findIndex((e) => e.kind === 'data' && e.path === `/services/chairman/${newName}`);
  assert.ok(left >= 0 && registered >= 0, `the watcher saw both: ${JSON.stringify(watched)}`);
  assert.ok(left < registered, 'leaving before registering again, in the timeline');
  assert.ok(BigInt(`0x${watched[left]!.zxid}`) < BigInt(`0x${watched[registered]!.zxid}`), 'and in zxid order');

  const reg = watched[registered]!;
  assert.equal(reg.time?.origin, 'zookeeper');
  assert.equal(reg.at.exact?.record, `watched: ctime of /services/chairman/${newName}`);
  const at = reg.at.exact!.at;
  assert.ok(at >= t0 - 5 && at <= t1 + 5, `registered at ${at}, within the flap [${t0}, ${t1}]`);
  assert.ok(reg.at.after && at >= reg.at.after.startedAt && at <= reg.at.by.startedAt, 'between the ticks around it');
  const gone = watched[left]!;
  assert.ok(gone.at.after && gone.time!.at >= gone.at.after.startedAt && gone.time!.at <= gone.at.by.startedAt, 'the leaving too');
  // The watcher saw the whole flap: the changes it counted are not hidden.
  assert.deepEqual(events.filter((e) => e.type === 'hidden_changes' && e.path === '/services/chairman'), []);

  // Replaying each interval's events onto the snapshot before gives the snapshot after, at every watched path.
  const h = openDatabase(db, { readonly: true });
  try {
    const check = loadWatchContradictions(h, 0, Number.MAX_SAFE_INTEGER);
    assert.ok(check.checked.includes(reg.at.by.id), `the flap's interval was checked: ${check.checked}`);
    assert.deepEqual([...check.contradictions], []);
  } finally {
    h.$client.close();
  }

  const text = await treesnap(['timeline', '--since', '1h ago', '--db', db]);
  assert.match(text.stdout, new RegExp(`zk\\.services\\s+/services/chairman/${newName}\\s+written \\(version 0\\), watched: ctime of /services/chairman/${newName}`));
});

test('a ZooKeeper that goes away gives a recorded gap in the watched record, then watching again', { timeout: 180_000 }, async () => {
  const from = d!.lines.length;
  const port = zk.port;
  await zk.stop();
  await d!.waitFor((l) => l.msg === 'watch gap: changes not watched', { ...WAIT, from, what: 'the gap opened' });
  assert.equal(await metric('treesnap_watch_gap_open'), 1, 'the metrics say changes are not watched');
  assert.equal(await metric('treesnap_watches'), 0);
  zk = await startZookeeper({ port, dataDir: zkDataDir });
  const closed = await d!.waitFor((l) => l.msg === 'watch gap closed', { ...WAIT, from, what: 'the gap closed' });
  assert.equal(await metric('treesnap_watch_gap_open'), 0);
  assert.ok((await metric('treesnap_watch_gaps_total')) >= 1);
  await nextCollection(closed.index + 1, 'a collection after the gap');

  const gaps = (await timeline()).filter((e) => e.type === 'watch_gap');
  const done = gaps.find((g) => g.to !== null);
  assert.ok(done, `a closed gap is recorded: ${JSON.stringify(gaps)}`);
  assert.equal(done.from, Date.parse(String(closed.line.from)));
  assert.equal(done.to, Date.parse(String(closed.line.to)));
  const text = await treesnap(['timeline', '--since', '1h ago', '--db', db]);
  assert.match(text.stdout, new RegExp(`zk\\.watch\\s+changes not watched from ${new Date(done.from!).toISOString().replace('.', '\\.')}`));
});

test('a watcher session that expires gives a recorded gap that says so, and a new session watches again', { timeout: 180_000 }, async () => {
  // A second daemon whose ZooKeeper is behind a proxy that can go silent past the watcher's session timeout.
  const proxy = await startTcpProxy({ target: { host: '127.0.0.1', port: zk.port } });
  const db2 = join(dir, 'expiry.db');
  const e = spawnTreesnap([
    'run', '--zk', `127.0.0.1:${proxy.endpoint.port}/sim`, '--db', db2,
    '--cron', '*/3 * * * * *', '--connect-timeout', '2s', '--timeout', '2s', '--probe-timeout', '500ms',
    '--log-format', 'json', '--log-level', 'info',
  ]);
  try {
    const watching = await e.waitFor((l) => l.msg === 'watching', { ...WAIT, what: 'the watcher loaded' });
    const c0 = await e.waitFor(isCollection, { ...WAIT, from: watching.index + 1, what: 'a collection with the watcher on' });
    proxy.freeze();
    const opened = await e.waitFor((l) => l.msg === 'watch gap: changes not watched', { ...WAIT, from: c0.index + 1, what: 'the gap opened' });
    // Silent past the 10 s session: the server expires it; the reason recorded below proves it did.
    await new Promise((r) => setTimeout(r, 20_000));
    proxy.thaw();
    const closed = await e.waitFor((l) => l.msg === 'watch gap closed', { ...WAIT, from: opened.index + 1, what: 'the gap closed' });
    assert.match(String(closed.line.reason), /expired/);
    await e.waitFor((l) => l.msg === 'watching again', { ...WAIT, from: opened.index + 1, what: 'a new session loaded' });
    await e.waitFor((l) => isCollection(l) && l.outcome === 'complete', { ...WAIT, from: closed.index + 1, what: 'a complete collection after' });

    const r = await treesnap(['timeline', '--since', '1h ago', '--db', db2, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const gaps = (JSON.parse(r.stdout) as { events: Event[] }).events.filter((x) => x.type === 'watch_gap' && x.to !== null);
    assert.deepEqual(gaps.map((g) => [g.from, g.to]), [[Date.parse(String(closed.line.from)), Date.parse(String(closed.line.to))]]);
    assert.match(String(gaps[0]!.reason), /then the session expired/);
  } finally {
    await e.stop('SIGKILL');
    await proxy.close();
  }
});

test('a ZooKeeper already unreachable when the daemon starts: a gap from the start until the first full read', { timeout: 180_000 }, async () => {
  const proxy = await startTcpProxy({ target: { host: '127.0.0.1', port: zk.port } });
  proxy.freeze();
  const db3 = join(dir, 'down-at-start.db');
  const t0 = Date.now();
  const e = spawnTreesnap([
    'run', '--zk', `127.0.0.1:${proxy.endpoint.port}/sim`, '--db', db3,
    '--cron', '*/3 * * * * *', '--connect-timeout', '2s', '--timeout', '2s', '--probe-timeout', '500ms',
    '--log-format', 'json', '--log-level', 'info',
  ]);
  try {
    const opened = await e.waitFor((l) => l.msg === 'watch gap: changes not watched', { ...WAIT, what: 'the gap opened' });
    const from = Date.parse(String(opened.line.from));
    const c0 = await e.waitFor(isCollection, { ...WAIT, what: 'a collection while ZooKeeper is silent' });
    assert.ok(from >= t0 && from <= Date.parse(opened.line.time), `from the start: ${from}`);
    proxy.thaw();
    const watching = await e.waitFor((l) => l.msg === 'watching', { ...WAIT, from: c0.index + 1, what: 'the first full read' });
    const closed = await e.waitFor((l) => l.msg === 'watch gap closed', { ...WAIT, what: 'the gap closed' });
    assert.ok(closed.index < watching.index, 'closed by the first full read');
    await e.waitFor(isCollection, { ...WAIT, from: watching.index + 1, what: 'a collection after' });

    const r = await treesnap(['timeline', '--since', '1h ago', '--db', db3, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const gaps = (JSON.parse(r.stdout) as { events: Event[] }).events.filter((x) => x.type === 'watch_gap' && x.to !== null);
    assert.deepEqual(gaps.map((g) => [g.from, g.to, g.reason]), [[from, Date.parse(String(closed.line.to)), 'not connected']]);
    const first = (JSON.parse(r.stdout) as { window: { first: Mark } }).window.first;
    assert.ok(from <= first.startedAt, 'the gap covers the first tick: nothing was watched before it');
  } finally {
    await e.stop('SIGKILL');
    await proxy.close();
  }
});

test('run --no-watch: no watcher session and no watcher metrics; the timeline says changes between ticks were not watched', { timeout: 180_000 }, async () => {
  const db4 = join(dir, 'no-watch.db');
  const e = spawnTreesnap([
    'run', '--zk', `${zk.connectString}/sim`, '--db', db4, '--no-watch',
    '--cron', '*/3 * * * * *', '--connect-timeout', '2s', '--timeout', '2s', '--probe-timeout', '500ms',
    '--log-format', 'json', '--log-level', 'info', '--metrics-port', '0',
  ]);
  try {
    const started = await e.waitFor((l) => l.msg === 'started', { ...WAIT, what: 'started' });
    const off = await e.waitFor((l) => l.msg === 'not watching', { ...WAIT, what: 'the daemon says it does not watch' });
    assert.equal(off.line.reason, '--no-watch');
    const c1 = await e.waitFor(isCollection, { ...WAIT, what: 'a first collection' });
    const c2 = await e.waitFor(isCollection, { ...WAIT, from: c1.index + 1, what: 'a second collection' });
    await e.waitFor(isCollection, { ...WAIT, from: c2.index + 1, what: 'a third collection' });
    const exposition = await (await fetch(String(started.line.metrics))).text();
    assert.equal(promValue(parsePrometheusText(exposition), 'treesnap_watches'), 0);
    assert.doesNotMatch(exposition, /treesnap_watch_(gap_open|events_total|gaps_total)/, 'no watcher, no watcher metrics');
    assert.equal(e.lines.filter((l) => l.msg === 'watching' || String(l.msg).startsWith('watch gap')).length, 0, 'no watcher session');
  } finally {
    await e.stop('SIGTERM');
  }
  const h = openDatabase(db4, { readonly: true });
  const rows = h.$client.prepare(`SELECT from_snapshot AS s, value FROM fact_versions WHERE source = ${codeOf("'zk.watch'")}`).all() as { s: number; value: string }[];
  h.$client.close();
  assert.deepEqual(rows, [{ s: 1, value: '{"reason":"--no-watch"}' }], 'held: one version however many ticks');

  const tl = async (...args: string[]) => {
    const r = await treesnap(['timeline', ...args, '--db', db4]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };
  const events = (JSON.parse(await tl('--since', '1h ago', '--json')) as { events: Event[] }).events;
  assert.deepEqual(events.filter((x) => x.type === 'watched' || x.type === 'watch_gap'), []);
  const off = events.filter((x) => x.type === 'not_watched');
  assert.deepEqual(off.map((x) => [x.at.by.id, x.reason, (x as { ended?: boolean }).ended]), [[1, '--no-watch', false]]);
  assert.match(await tl('--since', '1h ago'), /zk\.watch\s+changes between ticks not watched \(--no-watch\) from here on/);
  // A window that starts later still says so: the ticks in it were not watched either.
  const later = (JSON.parse(await tl('--since', '1h ago', '--json')) as { window: { last: Mark } }).window.last;
  const inWindow = (JSON.parse(await tl('--since', new Date(later.startedAt).toISOString(), '--json')) as { events: Event[] }).events;
  assert.deepEqual(inWindow.filter((x) => x.type === 'not_watched').map((x) => x.at.by.id), [1]);
  // A collect (no watcher either, but not a --no-watch tick) ends it.
  const c = await treesnap(['collect', '--zk', `${zk.connectString}/sim`, '--db', db4]);
  assert.ok(c.code === 0 || c.code === 4, c.stderr);
  const after = (JSON.parse(await tl('--since', '1h ago', '--json')) as { events: Event[] }).events.filter((x) => x.type === 'not_watched');
  assert.deepEqual(after.map((x) => (x as { ended?: boolean }).ended), [false, true]);
});

test('diff and missing: a withdrawn missing report the watcher saw is timed by the event, named as its arrival', { timeout: 180_000 }, async () => {
  const from = d!.lines.length;
  const watching = await d!.waitFor((l) => l.msg === 'watching' || l.msg === 'watching again', { ...WAIT, what: 'the watcher loaded' });
  const c0 = await nextCollection(Math.max(from, watching.index + 1), 'a collection with the watcher on');
  const host = sim!.hostIds[5]!;
  assert.ok((await sim!.reportMissing([host])).ok);
  const c1 = await nextCollection(c0.index + 1, 'a collection after the report');
  const c2 = await nextCollection(c1.index + 1, 'a collection that saw the report');
  const t0 = Date.now();
  assert.ok((await sim!.reportResurrected([host])).ok);
  const c3 = await nextCollection(c2.index + 1, 'a collection after the withdrawal');
  await nextCollection(c3.index + 1, 'a collection that saw it');

  const r = await treesnap(['missing', '--host', host, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  type Episode = { start: Event['at']; lastSeen: Mark; endBy: Mark | null; endExact?: { at: number; record: string; origin?: string } };
  const episode = (JSON.parse(r.stdout) as { missing: { episodes: Episode[] }[] }).missing[0]!.episodes.at(-1)!;
  assert.ok(episode.endBy && episode.endExact, JSON.stringify(episode));
  assert.equal(episode.endExact.origin, 'arrival');
  assert.equal(episode.endExact.record, `watched: /missing/${host} deleted, children event of /missing arrived (treesnap's clock)`);
  assert.ok(episode.endExact.at >= t0 && episode.endExact.at <= episode.endBy.startedAt, `withdrawn at ${episode.endExact.at}, after ${t0}`);
  assert.equal(episode.start.exact?.record, `ctime of /missing/${host}`, 'the start keeps its Stat');
  const iso = new Date(episode.endExact.at).toISOString().replace('.', '\\.');
  const text = await treesnap(['missing', '--host', host, '--db', db]);
  assert.match(text.stdout, new RegExp(`back ${iso} \\(watched: /missing/${host} deleted, children event of /missing arrived \\(treesnap's clock\\)\\)`));

  const diff = await treesnap(['diff', String(episode.lastSeen.id), String(episode.endBy.id), '--source', 'zk', '--db', db, '--json']);
  assert.equal(diff.code, 0, diff.stderr);
  const changes = (JSON.parse(diff.stdout) as { sources: { changes: { category: string; id: string; exact?: unknown }[] }[] }).sources.flatMap((s) => s.changes);
  assert.deepEqual(changes.find((c) => c.category === 'missing_removed' && c.id === host)?.exact, episode.endExact);
  const back = await treesnap(['diff', String(episode.endBy.id), String(episode.lastSeen.id), '--source', 'zk', '--db', db, '--json']);
  const backwards = (JSON.parse(back.stdout) as { sources: { changes: { category: string; id: string; exact?: unknown }[] }[] }).sources.flatMap((s) => s.changes);
  assert.equal(backwards.find((c) => c.id === host)?.exact, undefined, 'read backwards: no removal to time');

  // Across the whole report and withdrawal the diff shows nothing of it, and says the watcher saw both.
  const whole = await treesnap(['diff', String(c0.snapshot), String(episode.endBy.id), '--source', 'zk', '--db', db, '--json']);
  assert.equal(whole.code, 0, whole.stderr);
  const hidden = (JSON.parse(whole.stdout) as { hidden?: { path: string }[] }).hidden ?? [];
  assert.deepEqual(hidden.filter((h) => h.path === '/missing'), [{ source: 'zk.missing', path: '/missing', changes: 2, seen: 0, watched: 2, recreated: false }]);
  const wholeText = await treesnap(['diff', String(c0.snapshot), String(episode.endBy.id), '--source', 'zk', '--db', db]);
  assert.match(wholeText.stdout, /zk\.missing\s+\/missing\s+changed 2 times in ZooKeeper, 0 in this diff: 2 watched \(see timeline\)/);
});

test('timeline: a missing report seen by a collection (its ctime) and by the watcher (its arrival) is listed in time order', { timeout: 180_000 }, async () => {
  const from = d!.lines.length;
  const watching = await d!.waitFor((l) => l.msg === 'watching' || l.msg === 'watching again', { ...WAIT, what: 'the watcher loaded' });
  const c0 = await nextCollection(Math.max(from, watching.index + 1), 'a collection with the watcher on');
  const host = sim!.hostIds[4]!;
  assert.ok((await sim!.reportMissing([host])).ok);
  const c1 = await nextCollection(c0.index + 1, 'a collection after the report');
  await nextCollection(c1.index + 1, 'a collection that saw the report');
  const events = await timeline();
  const reported = events.findIndex((e) => e.type === 'change' && e.change?.category === 'missing_added' && e.change.id === host);
  const watched = events.findIndex((e) => e.type === 'watched' && e.path === '/missing' && e.added?.includes(host));
  assert.ok(reported >= 0 && watched >= 0, 'the report is seen by a collection and by the watcher');
  const [change, event] = [events[reported]!, events[watched]!];
  // The write's own time (ZooKeeper's ctime) precedes its event's arrival on this machine.
  assert.ok(change.at.exact && event.time && change.at.exact.at <= event.time.at, JSON.stringify([change, event]));
  // The fault exists only when both fall in one interval: the watcher's event is recorded with the tick whose collection saw the node.
  assert.equal(change.at.by.id, event.at.by.id, 'one interval: the ordering within it is what this tests');
  assert.ok(reported < watched, `reported missing (ctime ${change.at.exact.at}) listed before the watched event (arrived ${event.time.at})`);
});
