// The long-running commands as an operator runs them, as processes: `treesnap
// sim` from the command line, and `treesnap run` with --metrics-host,
// --log-format text and a real SIGINT.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { TREESNAP_BIN, treesnap } from '../support/treesnap-cli.js';
import { freshChroot } from '../support/zookeeper.js';

const dir = mkdtempSync(join(tmpdir(), 'treesnap-processes-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const WAIT_MS = 60_000;

/** A treesnap process whose stdout lines are kept; `next` waits for a line matching a pattern. */
function start(args: string[], stdin: 'ignore' | 'pipe' = 'ignore') {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TREESNAP_')));
  const child = spawn(TREESNAP_BIN, args, { env, stdio: [stdin, 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (l) => {
    lines.push(l);
    for (const w of waiters) w();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const next = (pattern: RegExp, what: string) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const hit = lines.find((l) => pattern.test(l));
        if (!hit) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(hit);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no line for ${what} within ${WAIT_MS} ms; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`));
      }, WAIT_MS);
      waiters.add(check);
      check();
    });
  return { child, lines, next, exited, stderr: () => stderr };
}

function refused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, host);
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

/**
 * Whether treesnap's metrics are NOT served at host:port. On a busy machine
 * another program may hold the same port number on that address, so a
 * connection alone proves nothing: only treesnap's metrics there would.
 */
async function notServingMetrics(host: string, port: number): Promise<boolean> {
  if (await refused(host, port)) return true;
  try {
    const res = await fetch(`http://${host}:${port}/metrics`, { signal: AbortSignal.timeout(5000) });
    return !/^treesnap_collections_total/m.test(await res.text());
  } catch {
    return true;
  }
}

test('treesnap sim from the command line: a cluster collect reads whole; SIGINT stops it with exit 0', { timeout: 180_000 }, async () => {
  const { connectString: zk } = await freshChroot('simcli');
  const sim = start(['sim', '--zk', zk, '--hosts', '7', '--fanout', '3']);
  try {
    await sim.next(/^running; Ctrl-C to stop$/, 'the simulator running');
    const r = await treesnap(['collect', '--zk', zk, '--db', join(dir, 'sim.db'), '--json']);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as { sources: { source: string; count: number | null }[]; failedSources: string[] };
    assert.deepEqual(summary.failedSources, []);
    const count = (s: string) => summary.sources.find((x) => x.source === s)!.count;
    assert.equal(count('zk.hosts'), 7);
    assert.equal(count('zk.roles'), 3, '7 hosts, 3 per leaf');
    assert.equal(count('zk.services'), 2, 'one chairman and one root-scheduler member');
    assert.equal(count('status'), 8, 'every agent and the root scheduler');
    sim.child.kill('SIGINT');
    assert.deepEqual(await sim.exited, { code: 0, signal: null }, sim.stderr());
  } finally {
    sim.child.kill('SIGKILL');
  }
});

test("treesnap sim's console: a fault typed on stdin is what the next collection sees; bad lines are one error line", { timeout: 180_000 }, async () => {
  const { connectString: zk } = await freshChroot('simconsole');
  const sim = start(['sim', '--zk', zk, '--hosts', '4', '--fanout', '2'], 'pipe');
  const db = join(dir, 'console.db');
  try {
    await sim.next(/^running; Ctrl-C to stop$/, 'the simulator running');
    sim.child.stdin!.write('tree\n');
    const leaf = await sim.next(/^leaf \S+  owner \S+  hosts /, 'the tree');
    const [, leafId, owner] = /^leaf (\S+)  owner (\S+)/.exec(leaf)!;
    sim.child.stdin!.write(`lose-role ${owner}\nno-such-command\nflap-leader nobody 1s\n`);
    await sim.next(/^error: unknown command 'no-such-command' \(help lists them\)$/, 'the unknown command');
    await sim.next(/^error: a service is needed: chairman or root-scheduler, got 'nobody'$/, 'the bad argument');
    assert.ok(sim.lines.includes('ok'), 'lose-role answered ok');
    assert.equal((await treesnap(['collect', '--zk', zk, '--db', db])).code, 0);
    const drift = await treesnap(['drift', 'latest', '--db', db, '--json']);
    assert.equal(drift.code, 3, drift.stderr);
    const items = (JSON.parse(drift.stdout) as { drift: { kind: string; ids: string[] }[] }).drift;
    assert.deepEqual(items.map((i) => `${i.kind} ${i.ids.join(',')}`), [`agent_role_differs ${leafId},${owner}`]);
    sim.child.kill('SIGINT');
    assert.deepEqual(await sim.exited, { code: 0, signal: null }, sim.stderr());
  } finally {
    sim.child.kill('SIGKILL');
  }
});

test('treesnap run: metrics on --metrics-host only, text log lines, and a SIGINT that stops it cleanly', { timeout: 180_000 }, async () => {
  const { connectString: zk } = await freshChroot('runflags');
  const d = start([
    'run', '--zk', zk, '--db', join(dir, 'run.db'), '--cron', '*/2 * * * * *',
    '--metrics-host', '127.0.0.2', '--metrics-port', '0', '--log-format', 'text', '--connect-timeout', '1s',
  ]);
  try {
    const started = await d.next(/ INFO  started /, 'started');
    assert.match(started, /^\d{4}-\d\d-\d\dT[\d:.]+Z INFO  started .*metrics=http:\/\/127\.0\.0\.2:\d+\/metrics/);
    const port = Number(/127\.0\.0\.2:(\d+)/.exec(started)![1]);
    const res = await fetch(`http://127.0.0.2:${port}/metrics`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /^treesnap_collections_total/m);
    assert.equal(await notServingMetrics('127.0.0.1', port), true, 'not served on another address');
    // An empty chroot: every tick is a collection with its outcome, as a text line.
    const collection = await d.next(/ collection /, 'a collection line');
    assert.match(collection, /^\d{4}-\d\d-\d\dT[\d:.]+Z (INFO |WARN |ERROR) collection tick=\d+ snapshot=\d+ outcome=\w+/);
    assert.ok(d.lines.every((l) => !l.startsWith('{')), 'no JSON lines');
    d.child.kill('SIGINT');
    assert.deepEqual(await d.exited, { code: 0, signal: null }, d.stderr());
    assert.match(d.lines.at(-1)!, / INFO  stopped reason=SIGINT$/);
  } finally {
    d.child.kill('SIGKILL');
  }
});
