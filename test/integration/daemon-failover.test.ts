// Collectors that fail over (issue 18 item 4): two `treesnap run` of one
// cluster against one real PostgreSQL history. Exactly one collects each
// tick, under the lease held in the server; when the holder is killed, or its
// lease session cut with pg_terminate_backend, the other takes over within a
// tick; and a holder paused (SIGSTOP) past its lease, resumed, writes nothing
// (the lease's fence is checked inside the write). Every snapshot in the
// history is one a daemon logged, one per tick, in tick order.
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, test } from 'node:test';
import pg from 'pg';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { SOURCES } from '../../src/snapshot/source-name.js';
import { spawnTreesnap, type LogLine, type TreesnapProcess } from '../support/daemon-process.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { adminQuery, freshDatabase, withUrl } from '../support/postgres.js';
import { parsePrometheusText, promValue } from '../support/prometheus-text.js';
import { assertOneLineError, treesnap } from '../support/treesnap-cli.js';
import { freshChroot } from '../support/zookeeper.js';

const TICK_MS = 2000;
const WAIT = { timeoutMs: 60_000 };

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

async function history(): Promise<string> {
  const db = await freshDatabase('failover');
  cleanups.push(db.drop);
  return db.url;
}

async function simulator(): Promise<string> {
  const { connectString } = await freshChroot('failover');
  const sim: SimulatedCluster = await startSimulatedCluster({ zk: connectString, hosts: 4, fanout: 2, registerConcurrency: 1 });
  cleanups.push(() => sim.stop({ clean: false }));
  return connectString;
}

function daemon(url: string, zk: string, extra: string[] = [], connectTimeout = '1s'): TreesnapProcess {
  const d = spawnTreesnap([
    'run', '--zk', zk, '--db', url, '--cron', `*/${TICK_MS / 1000} * * * * *`, '--lease-ttl', '1s',
    '--connect-timeout', connectTimeout, '--timeout', '1s', '--probe-timeout', '500ms', '--backoff-after', '0',
    '--metrics-port', '0', '--log-format', 'json', '--log-level', 'debug', ...extra,
  ]);
  cleanups.push(async () => {
    d.child.kill('SIGCONT');
    await d.stop('SIGKILL');
  });
  return d;
}

interface Started {
  holder: string;
  metrics: string;
}

async function started(d: TreesnapProcess): Promise<Started> {
  const { line } = await d.waitFor((l) => l.msg === 'started', { ...WAIT, what: 'started' });
  return { holder: String(line.holder), metrics: String(line.metrics) };
}

const isWrite = (l: LogLine) => l.msg === 'collection' && typeof l.snapshot === 'number';

function nextWrite(d: TreesnapProcess, from: number, what: string) {
  return d.waitFor(isWrite, { ...WAIT, from, what });
}

/** Each snapshot a daemon logged as written, with the slot of the tick it collected. */
function writes(d: TreesnapProcess): { snapshot: number; slot: number }[] {
  const slotOf = new Map<unknown, number>();
  for (const l of d.lines) if (l.msg === 'tick') slotOf.set(l.tick, Date.parse(String(l.scheduledAt)));
  return d.lines.filter(isWrite).map((l) => ({ snapshot: l.snapshot as number, slot: slotOf.get(l.tick)! }));
}

async function storedSnapshots(url: string): Promise<{ id: number; startedAt: number; outcomes: number }[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ id: string; started_at: string; outcomes: string }>(
      'SELECT s.id, s.started_at, count(o.source) AS outcomes FROM snapshots s LEFT JOIN snapshot_sources o ON o.snapshot_id = s.id GROUP BY s.id, s.started_at ORDER BY s.id',
    );
    return rows.map((r) => ({ id: Number(r.id), startedAt: Number(r.started_at), outcomes: Number(r.outcomes) }));
  } finally {
    await c.end();
  }
}

/**
 * The history holds exactly the snapshots the daemons logged (`unlogged`: at most that many more, a holder
 * killed between its commit and its log line), each with every source's outcome, in tick order, and no tick twice.
 */
async function assertOnePerTick(url: string, daemons: TreesnapProcess[], unlogged = 0): Promise<{ snapshot: number; slot: number }[]> {
  const logged = daemons.flatMap(writes).sort((a, b) => a.snapshot - b.snapshot);
  const stored = await storedSnapshots(url);
  const slots = logged.map((w) => w.slot);
  assert.equal(new Set(slots).size, slots.length, `a tick written twice: ${JSON.stringify(logged)}`);
  assert.deepEqual(slots, [...slots].sort((a, b) => a - b), 'snapshots in tick order');
  const storedIds = stored.map((s) => s.id);
  for (const w of logged) assert.ok(storedIds.includes(w.snapshot), `logged snapshot #${w.snapshot} is stored`);
  assert.ok(stored.length - logged.length <= unlogged, `stored ${storedIds.join(',')}, logged ${logged.map((w) => w.snapshot).join(',')}`);
  for (const s of stored) assert.equal(s.outcomes, SOURCES.length, `snapshot #${s.id} has every source's outcome`);
  const starts = stored.map((s) => s.startedAt);
  assert.deepEqual(starts, [...starts].sort((a, b) => a - b), 'started_at grows with the id: no late write from an ex-holder');
  return logged;
}

async function metrics(url: string) {
  const res = await fetch(url);
  assert.equal(res.status, 200);
  return parsePrometheusText(await res.text());
}

/** A holder, then a standby that has seen it collect: the pair every test starts from. */
async function holderAndStandby(url: string, zk: string, extra: string[] = [], connectTimeout?: string) {
  const a = daemon(url, zk, extra, connectTimeout);
  const aStarted = await started(a);
  await a.waitFor((l) => l.msg === 'lease acquired: collecting', { ...WAIT, what: 'the first daemon taking the lease' });
  await nextWrite(a, 0, 'the holder writing');
  const b = daemon(url, zk, extra, connectTimeout);
  const bStarted = await started(b);
  const { line } = await b.waitFor((l) => l.msg === 'lease held by another collector: standing by', { ...WAIT, what: 'the second standing by' });
  assert.equal(line.holder, aStarted.holder);
  return { a, aStarted, b, bStarted };
}

test('two daemons, the holder killed: the other collects the next tick, one snapshot per tick', { timeout: 240_000 }, async () => {
  const url = await history();
  const zk = await simulator();
  const { a, aStarted, b, bStarted } = await holderAndStandby(url, zk);
  const seen = a.lines.length;
  await nextWrite(a, seen, 'the holder writing with a standby beside it');
  await nextWrite(a, a.lines.length, 'and again');

  const ma = await metrics(aStarted.metrics);
  const mb = await metrics(bStarted.metrics);
  assert.equal(promValue(ma, 'treesnap_lease_held'), 1);
  assert.equal(promValue(mb, 'treesnap_lease_held'), 0, 'the standby keeps its metrics up');
  assert.equal(promValue(mb, 'treesnap_lease_holder', { holder: aStarted.holder, self: '0' }), 1);
  assert.equal(promValue(ma, 'treesnap_lease_fence'), 1);
  assert.equal(promValue(ma, 'treesnap_lease_takeovers_total'), 0);
  assert.equal(writes(b).length, 0, 'the standby collected nothing');

  const killedAt = Date.now();
  assert.deepEqual(await a.stop('SIGKILL'), { code: null, signal: 'SIGKILL' });
  const took = await b.waitFor((l) => l.msg === 'lease acquired: collecting', { ...WAIT, what: 'the standby taking over' });
  assert.equal(took.line.fence, 2);
  const first = await nextWrite(b, took.index, 'the new holder writing');
  await nextWrite(b, first.index + 1, 'the new holder writing again');
  const m = await metrics(bStarted.metrics);
  assert.equal(promValue(m, 'treesnap_lease_held'), 1);
  assert.equal(promValue(m, 'treesnap_lease_takeovers_total'), 1);
  assert.equal(promValue(m, 'treesnap_lease_holder', { holder: bStarted.holder, self: '1' }), 1);
  assert.deepEqual(await b.stop('SIGTERM'), { code: 0, signal: null });

  const logged = await assertOnePerTick(url, [a, b], 1);
  const lastOfA = Math.max(...writes(a).map((w) => w.slot));
  const firstOfB = Math.min(...writes(b).map((w) => w.slot));
  // The tick in flight when the holder died may be lost; the one after it is the standby's.
  assert.ok(firstOfB - lastOfA <= 2 * TICK_MS, `the standby's first tick ${new Date(firstOfB).toISOString()}, the holder's last ${new Date(lastOfA).toISOString()}`);
  assert.ok(firstOfB >= killedAt - TICK_MS, 'the standby collected only after the kill');
  assert.ok(logged.length >= 5);
});

test("the holder's lease session cut with pg_terminate_backend: the other takes over", { timeout: 240_000 }, async () => {
  const url = await history();
  const zk = await simulator();
  const { a, aStarted, b } = await holderAndStandby(url, zk);
  const cutAt = a.lines.length;
  const { rows } = await adminQuery(`SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity WHERE application_name = 'treesnap lease ${aStarted.holder}'`);
  assert.deepEqual(rows, [{ cut: true }], "the holder's lease session, found by its name");
  const lost = await a.waitFor((l) => l.msg === 'lease lost: standing by', { ...WAIT, from: cutAt, what: 'the holder seeing its lease go' });
  assert.match(String(lost.line.why), /session to the server ended|renewing failed/);
  const took = await b.waitFor((l) => l.msg === 'lease acquired: collecting', { ...WAIT, what: 'the standby taking over' });
  await nextWrite(b, took.index, 'the new holder writing');
  await a.waitFor((l) => l.msg === 'lease held by another collector: standing by', { ...WAIT, from: lost.index, what: 'the ex-holder standing by' });
  const settled = b.lines.length;
  await nextWrite(b, settled, 'the new holder writing on');
  await nextWrite(b, b.lines.length, 'and on');
  const aWrites = writes(a).length;
  assert.deepEqual(await a.stop('SIGTERM'), { code: 0, signal: null });
  assert.deepEqual(await b.stop('SIGTERM'), { code: 0, signal: null });
  assert.equal(writes(a).length, aWrites);
  await assertOnePerTick(url, [a, b]);
});

/** A ZooKeeper that accepts connections and never answers: every collection lasts its connect timeout. */
async function silentZookeeper(): Promise<string> {
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  return `127.0.0.1:${address.port}`;
}

/**
 * SIGSTOP on the holder as it logs the start of a tick, so it is paused with that tick collected under the lease
 * and not yet written. Should the pause land after the write (a loaded machine), it is resumed and tried at the next tick.
 */
async function pauseMidCollection(a: TreesnapProcess): Promise<{ begun: LogLine; index: number }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const { line: begun, index } = await a.waitFor((l) => l.msg === 'tick', { ...WAIT, from: a.lines.length, what: 'the holder beginning a tick' });
    a.child.kill('SIGSTOP');
    // What it wrote before the pause drains from the pipe meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 300));
    if (!a.lines.slice(index).some((l) => l.msg === 'collection')) return { begun, index };
    a.child.kill('SIGCONT');
  }
  throw new Error('the holder finished every tick before it could be paused');
}

test('a holder paused past its lease and resumed writes nothing: the fence is checked in the write', { timeout: 240_000 }, async () => {
  const url = await history();
  // Each collection waits the full connect timeout: a long window to pause the holder in.
  const zk = await silentZookeeper();
  const { a, b } = await holderAndStandby(url, zk, ['--no-watch'], '1500ms');
  const { begun, index } = await pauseMidCollection(a);
  try {
    const took = await b.waitFor((l) => l.msg === 'lease acquired: collecting', { ...WAIT, what: 'the standby taking over' });
    await nextWrite(b, took.index, 'the new holder writing');
  } finally {
    a.child.kill('SIGCONT');
  }
  const resumed = await a.waitFor((l) => l.msg === 'collection' && l.tick === begun.tick, { ...WAIT, from: index, what: "the paused tick's outcome" });
  assert.equal(resumed.line.recorded, false, `the ex-holder wrote after losing the lease: ${JSON.stringify(resumed.line)}`);
  assert.match(String(resumed.line.error), /not written: the lease passed to /);
  await a.waitFor((l) => l.msg === 'lease lost: standing by', { ...WAIT, from: index, what: 'the ex-holder knowing it lost' });
  await nextWrite(b, b.lines.length, 'the new holder writing on');
  assert.deepEqual(await a.stop('SIGTERM'), { code: 0, signal: null });
  assert.deepEqual(await b.stop('SIGTERM'), { code: 0, signal: null });
  await assertOnePerTick(url, [a, b]);
});

test('run on PostgreSQL: SQLite-only options refused before the server is reached (exit 2); a refused server is one line, exit 6', { timeout: 120_000 }, async () => {
  const refused = withUrl(await history(), { password: 's3cret-pw' }).replace(/@[^/]+\//, '@127.0.0.1:1/');
  const run = ['run', '--zk', '127.0.0.1:1', '--cron', '*/5 * * * *', '--db', refused];
  for (const [flag, value] of [['--retain', '90d'], ['--backup-dir', '/tmp']]) {
    const r = await treesnap([...run, flag!, value!], { timeoutMs: 60_000 });
    assertOneLineError(r, EXIT.USAGE, new RegExp(`${flag} is not yet served on a PostgreSQL history`), flag!);
  }
  assertOneLineError(await treesnap([...run, '--lease-ttl', '10m'], { timeoutMs: 60_000 }), EXIT.USAGE, /--lease-ttl must be from 300ms to the cron interval/, 'ttl');
  const r = await treesnap(run, { timeoutMs: 60_000 });
  assertOneLineError(r, EXIT.DATABASE, /cannot open postgres:\/\/[^ ]*127\.0\.0\.1:1\/failover_\w+: connection refused/, 'refused');
  assert.doesNotMatch(r.stderr, /s3cret/);
});
