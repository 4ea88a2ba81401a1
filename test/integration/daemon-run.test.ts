// `treesnap run` as operators run it: a child process on a seconds-level cron
// against the simulator on its own ZooKeeper, with faults injected between
// ticks (chairman stop/start, an agent down, a ZooKeeper restart). Afterwards
// the recorded history must show every tick, each failure as unknown, recovery
// without a restart, no overlapping collections, and a clean exit on SIGTERM.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startZookeeper, type ZkServer } from '../../scripts/zookeeper-server.js';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { readSourceState } from '../../src/store/read-source-state.js';
import { sourceOutcomes } from '../../src/store/snapshot-index.js';
import { spawnTreesnap, type LogLine, type TreesnapProcess } from '../support/daemon-process.js';
import { parsePrometheusText, promValue } from '../support/prometheus-text.js';
import { SOURCES } from '../../src/snapshot/source-name.js';

const HOSTS = 12;
const TICK_MS = 2000;
const WAIT = { timeoutMs: 30_000 };

let dir: string;
let zkDataDir: string;
let zk: ZkServer;
let sim: SimulatedCluster | undefined;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'treesnap-daemon-'));
  // Our own ZooKeeper with a data dir we keep, so it can be stopped and started again on the same port.
  zkDataDir = join(dir, 'zk');
  mkdirSync(zkDataDir);
  zk = await startZookeeper({ dataDir: zkDataDir });
});

after(async () => {
  await sim?.stop({ clean: false });
  await zk?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Collection extends LogLine {
  tick: number;
  snapshot: number;
  outcome: string;
  failed?: string[];
}

const isCollection = (l: LogLine): l is Collection => l.msg === 'collection';

async function metrics(url: string) {
  const res = await fetch(url);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await res.text());
}

function nextCollection(d: TreesnapProcess, from: number, pred: (c: Collection) => boolean, what: string) {
  return d.waitFor((l) => isCollection(l) && pred(l), { ...WAIT, from, what });
}

test('the daemon records every tick through faults and recovers without a restart', { timeout: 300_000 }, async () => {
  const zkPort = zk.port;
  sim = await startSimulatedCluster({ zk: `${zk.connectString}/sim`, hosts: HOSTS, fanout: 4 });
  const db = join(dir, 'history.db');
  const d = spawnTreesnap([
    'run', '--zk', `${zk.connectString}/sim`, '--db', db,
    '--cron', '*/2 * * * * *', '--connect-timeout', '1s', '--timeout', '1s', '--probe-timeout', '500ms',
    '--metrics-port', '0', '--log-format', 'json', '--log-level', 'debug', '--backoff-after', '2',
  ]);
  try {
    const { line: started } = await d.waitFor((l) => l.msg === 'started', { ...WAIT, what: 'started' });
    const url = String(started.metrics);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);

    // 1. Healthy: complete collections, metrics that say so.
    let at = (await nextCollection(d, 0, (c) => c.outcome === 'complete', 'a complete collection')).index;
    at = (await nextCollection(d, at + 1, (c) => c.outcome === 'complete', 'a second complete collection')).index;
    let m = await metrics(url);
    assert.ok(promValue(m, 'treesnap_collections_total', { outcome: 'complete' }) >= 2);
    assert.equal(promValue(m, 'treesnap_nodes', { status: 'online' }), HOSTS + 1, 'every agent and the root scheduler');
    assert.equal(promValue(m, 'treesnap_nodes', { status: 'offline' }), 0);
    assert.equal(promValue(m, 'treesnap_hosts_registered'), HOSTS);
    assert.equal(promValue(m, 'treesnap_hosts_missing'), 0);
    for (const s of m.get('treesnap_drift_items')!.samples) assert.equal(s.value, 0, `drift ${s.labels.kind}`);
    for (const s of m.get('treesnap_source_up')!.samples) assert.equal(s.value, 1, `source ${s.labels.source}`);
    const lastSuccess = promValue(m, 'treesnap_last_success_timestamp_seconds');
    assert.ok(Date.now() / 1000 - lastSuccess < 120, 'last success is recent (a few ticks ago, however loaded the machine)');
    assert.ok(promValue(m, 'treesnap_source_duration_seconds', { source: 'status' }) > 0);

    // 2. The chairman stops: it is unknown in those ticks, the rest is still read; then it comes back.
    await sim.stopChairman();
    const down = await nextCollection(d, at + 1, (c) => c.outcome === 'partial' && (c.failed ?? []).includes('chairman'), 'chairman unknown');
    await sim.startChairman();
    at = (await nextCollection(d, down.index + 1, (c) => c.outcome === 'complete', 'complete after chairman restart')).index;

    // 3. An agent goes down: probed OFFLINE, "offline, not missing" (settling: first seen this tick, the
    // window is 60 s); then it is back.
    const victim = sim.hostIds[5]!;
    await sim.stopAgent(victim);
    const offline = await nextCollection(d, at + 1, (c) => Number(c.newlyOffline ?? 0) >= 1, 'agent offline');
    m = await metrics(url);
    assert.equal(promValue(m, 'treesnap_nodes', { status: 'offline' }), 1);
    assert.equal(promValue(m, 'treesnap_drift_settling_items', { kind: 'offline_not_missing' }), 1);
    assert.equal(promValue(m, 'treesnap_drift_items', { kind: 'offline_not_missing' }), 0, 'not drift before it outlives the settle window');
    await sim.startAgent(victim);
    at = (await nextCollection(d, offline.index + 1, (c) => Number(c.backOnline ?? 0) >= 1, 'agent back online')).index;

    // 4. ZooKeeper restarts (same port, same data): its sources unknown meanwhile, the chairman, the root
    // scheduler and the probes still read at their last addresses; then recovery.
    await zk.stop();
    const zkSources = ['zk.hosts', 'zk.missing', 'zk.roles', 'zk.services'];
    const zkOnly = (c: Collection) => c.outcome === 'partial' && [...(c.failed ?? [])].sort().join() === zkSources.join();
    const zkDown = await nextCollection(d, at + 1, zkOnly, 'ZooKeeper unknown, the rest read at their last addresses');
    zk = await startZookeeper({ port: zkPort, dataDir: zkDataDir });
    at = (await nextCollection(d, zkDown.index + 1, (c) => c.outcome === 'complete', 'complete after ZooKeeper restart')).index;

    // 5. ZooKeeper down with the chairman and the root scheduler gone too: nothing readable, backoff, recovery.
    await sim.stopChairman();
    await sim.stopRootScheduler();
    await zk.stop();
    const nothing = await nextCollection(d, at + 1, (c) => c.outcome === 'unavailable', 'nothing readable');
    await nextCollection(d, nothing.index + 1, (c) => c.outcome === 'unavailable' || c.outcome === 'backoff', 'a second tick with nothing readable');
    await nextCollection(d, nothing.index + 1, (c) => c.outcome === 'backoff', 'backoff after 2 read-nothing collections');
    zk = await startZookeeper({ port: zkPort, dataDir: zkDataDir });
    await sim.startChairman();
    await sim.startRootScheduler();
    // A leader whose member was not yet removed when ZooKeeper stopped keeps it until its session expires
    // (30 s, counted again from the restart, which keeps the sessions): two members and no leader until then,
    // so this wait covers that expiry as well (a liveness bound; at load 15 the 30 s alone was too short).
    const back = await d.waitFor((l) => isCollection(l) && l.outcome === 'complete', { timeoutMs: 90_000, from: nothing.index + 1, what: 'complete after ZooKeeper and the leaders are back' });

    m = await metrics(url);
    // The stopped chairman left /services/chairman: no leader to call.
    assert.ok(promValue(m, 'treesnap_source_errors_total', { source: 'chairman', kind: 'no_leader' }) >= 1);
    assert.ok(promValue(m, 'treesnap_source_errors_total', { source: 'zk.hosts', kind: 'timeout' }) >= 1, 'ZooKeeper down');
    assert.ok(promValue(m, 'treesnap_collections_total', { outcome: 'unavailable' }) >= 1);
    assert.ok(promValue(m, 'treesnap_collections_total', { outcome: 'backoff' }) >= 1);
    assert.equal(promValue(m, 'treesnap_backoff_active'), 0, 'backoff over after recovery');
    assert.equal(promValue(m, 'treesnap_nodes', { status: 'online' }), HOSTS + 1);

    // 6. SIGTERM: clean exit 0.
    const exit = await d.stop('SIGTERM');
    assert.deepEqual(exit, { code: 0, signal: null }, d.stderr());
    assert.equal(d.lines.at(-1)?.msg, 'stopped');
    assert.deepEqual(d.otherStdout, []);
    assert.equal(d.stderr(), '');
    assert.equal(d.lines.filter((l) => l.msg === 'started').length, 1, 'one process throughout: recovery without restart');

    checkHistory(d, join(dir, 'history.db'), back.line.snapshot as number);
  } finally {
    await d.stop('SIGKILL');
  }
});

/** What the history says after the run. */
function checkHistory(d: TreesnapProcess, path: string, recoveredAt: number): void {
  const collections = d.lines.filter(isCollection);
  const ticks = d.lines.filter((l) => l.msg === 'tick');
  // Every cron slot is accounted for: it ran, or it is logged as missed (the whole process
  // stalled past it) or skipped (the previous tick was still being recorded), either of which
  // a loaded test machine can cause; consecutive slots (node-cron's slot times, not clock
  // readings) are one interval apart, so none went unaccounted for.
  const missed = d.lines.filter((l) => l.msg === 'tick missed' || l.msg === 'tick skipped');
  const slots = [...ticks, ...missed].map((l) => Date.parse(String(l.scheduledAt))).sort((a, b) => a - b);
  for (let i = 1; i < slots.length; i++) assert.equal(slots[i]! - slots[i - 1]!, TICK_MS, `slot ${i}`);
  // Every tick was recorded, as one snapshot each, in order.
  assert.deepEqual(collections.map((c) => c.tick), ticks.map((_, i) => i + 1));
  assert.deepEqual(collections.map((c) => c.snapshot), collections.map((_, i) => i + 1));

  const db: Db = openDatabase(path, { readonly: true });
  try {
    const rows = db.$client.prepare('SELECT id, started_at AS s, finished_at AS f, failed_sources AS failed FROM snapshots ORDER BY id').all() as {
      id: number;
      s: number;
      f: number;
      failed: number;
    }[];
    assert.deepEqual(rows.map((r) => r.id), collections.map((c) => c.snapshot));
    for (let i = 1; i < rows.length; i++) {
      assert.ok(rows[i - 1]!.f <= rows[i]!.s, `snapshot ${rows[i]!.id} started before ${rows[i - 1]!.id} finished`);
    }
    for (const c of collections) {
      const outcomes = sourceOutcomes(db, c.snapshot);
      assert.equal(outcomes.length, SOURCES.length, `snapshot ${c.snapshot} has an outcome for every source`);
      const failed = outcomes.filter((o) => !o.ok);
      assert.deepEqual(failed.map((o) => o.source).sort(), [...(c.failed ?? [])].sort(), `snapshot ${c.snapshot}`);
      for (const o of failed) assert.ok(o.errorKind && o.errorMessage, `unknown with a reason: ${c.snapshot} ${o.source}`);
      if (c.outcome === 'unavailable' || c.outcome === 'backoff') assert.equal(failed.length, SOURCES.length);
    }
    // Unknown is not absent: while ZooKeeper was down, the hosts are still there as last known.
    const zkDown = collections.find((c) => c.outcome === 'unavailable')!;
    assert.equal(readSourceState(db, 'zk.hosts', zkDown.snapshot).length, HOSTS);
    // After recovery the history reads the real cluster again.
    assert.equal(readSourceState(db, 'zk.hosts', recoveredAt).length, HOSTS);
    assert.equal(readSourceState(db, 'status', recoveredAt).filter((f) => JSON.parse(f.value).status === 'ONLINE').length, HOSTS + 1);
  } finally {
    db.$client.close();
  }
}
