// Readers running queries in a loop while the daemon writes: `treesnap run`
// collects every second from a simulated cluster with churn, two reader
// processes run the query layer on the same file non-stop, and the CLI's own
// query commands run alongside. No reader ever errs or sees half a snapshot,
// no write is refused, and every snapshot a reader saw reads back the same
// after the writing stops.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { openDatabase } from '../../src/store/open-database.js';
import { spawnTreesnap } from '../support/daemon-process.js';
import { snapshotFingerprint } from '../support/snapshot-fingerprint.js';
import { treesnap } from '../support/treesnap-cli.js';
import { freshChroot } from '../support/zookeeper.js';

const READ_FOR_MS = 15_000;
const READERS = 2;

interface ReaderReport {
  iterations: number;
  opens: number;
  fingerprints: Record<string, string>;
  errors: string[];
}

let sim: SimulatedCluster;
let dir: string;
before(async () => {
  const { connectString } = await freshChroot('readers');
  sim = await startSimulatedCluster({ zk: connectString, hosts: 60, fanout: 8 });
  dir = mkdtempSync(join(tmpdir(), 'treesnap-readers-'));
});
after(async () => {
  await sim?.stop({ clean: true });
  rmSync(dir, { recursive: true, force: true });
});

function startReader(db: string): Promise<ReaderReport> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/query-reader.ts', db, String(READ_FOR_MS)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), READ_FOR_MS + 60_000);
  return new Promise((resolve, reject) =>
    child.once('close', (code) => {
      clearTimeout(killer);
      if (code !== 0) reject(new Error(`reader exited ${code}: ${err}`));
      else resolve(JSON.parse(out) as ReaderReport);
    }),
  );
}

/** Agents stop and start, hosts go missing and come back: every collection has something to write. */
async function churn(until: number): Promise<number> {
  let changes = 0;
  const down = new Set<string>();
  for (let i = 0; Date.now() < until; i++) {
    const host = sim.hostIds[(i * 7) % sim.hostIds.length]!;
    if (down.has(host)) {
      await sim.startAgent(host);
      await sim.reportResurrected([host]);
      down.delete(host);
    } else {
      await sim.stopAgent(host);
      await sim.reportMissing([host]);
      down.add(host);
    }
    changes += 1;
    await new Promise((r) => setTimeout(r, 300));
  }
  for (const host of down) await sim.startAgent(host);
  return changes;
}

/** The CLI's query commands, one after another, until `until` and each at least once (a loaded machine runs fewer in the time). */
async function cliQueries(db: string, until: number): Promise<{ runs: number; failures: string[] }> {
  const commands = [['show'], ['diff', '1', 'latest'], ['drift'], ['missing'], ['timeline', '--since', '1h ago'], ['snapshots']];
  const failures: string[] = [];
  let runs = 0;
  for (let i = 0; i < commands.length || Date.now() < until; i++) {
    const args = commands[i % commands.length]!;
    const r = await treesnap([...args, '--db', db, '--json']);
    runs += 1;
    // drift exits 3 when it finds drift, which churn makes likely.
    if ((r.code !== 0 && r.code !== 3) || r.stderr !== '') failures.push(`${args.join(' ')}: exit ${r.code}: ${r.stderr.trim()}`);
  }
  return { runs, failures };
}

test('queries in a loop from several processes while the daemon writes: no error, no half snapshot, nothing changes after commit', { timeout: 300_000 }, async (t) => {
  const db = join(dir, 'history.db');
  const daemon = spawnTreesnap([
    'run', '--zk', sim.zk, '--db', db, '--cron', '* * * * * *',
    '--connect-timeout', '2s', '--timeout', '2s', '--probe-timeout', '500ms', '--log-format', 'json',
  ]);
  try {
    await daemon.waitFor((l) => l.msg === 'collection' && typeof l.snapshot === 'number', { timeoutMs: 60_000, what: 'a first snapshot' });
    const until = Date.now() + READ_FOR_MS;
    const [readers, changes, cli] = await Promise.all([
      Promise.all(Array.from({ length: READERS }, () => startReader(db))),
      churn(until),
      cliQueries(db, until),
    ]);
    assert.deepEqual(await daemon.stop('SIGTERM'), { code: 0, signal: null }, daemon.stderr());

    const collections = daemon.lines.filter((l) => l.msg === 'collection');
    const unrecorded = collections.filter((l) => l.recorded === false || typeof l.snapshot !== 'number');
    assert.deepEqual(unrecorded, [], 'every tick recorded: readers never block the writer');
    t.diagnostic(
      `${collections.length} snapshots written, ${changes} cluster changes; readers: ${readers.map((r) => `${r.iterations} loops/${r.opens} opens/${Object.keys(r.fingerprints).length} snapshots`).join(', ')}; CLI: ${cli.runs} queries`,
    );
    assert.deepEqual(cli.failures, []);

    const check = openDatabase(db, { readonly: true });
    try {
      assert.equal(check.$client.pragma('integrity_check', { simple: true }), 'ok');
      for (const [i, r] of readers.entries()) {
        assert.deepEqual(r.errors, [], `reader ${i}`);
        const seen = Object.entries(r.fingerprints);
        assert.ok(seen.length >= 5, `reader ${i} saw only ${seen.length} snapshots while they were being written`);
        for (const [id, fingerprint] of seen) assert.equal(snapshotFingerprint(check, Number(id)), fingerprint, `reader ${i}: snapshot #${id} changed`);
      }
    } finally {
      check.$client.close();
    }
  } finally {
    await daemon.stop('SIGKILL');
  }
});
