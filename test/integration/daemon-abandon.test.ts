// Budgets, stopping and bad names, against the simulator: a collection that
// outlives its budget is abandoned and recorded as unknown (nothing
// half-written), the next tick starts fresh; SIGTERM during a collection
// abandons it within --stop-timeout, records it, and exits 0; a chairman name
// that does not resolve is unknown each tick while the rest is read.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { openDatabase } from '../../src/store/open-database.js';
import { sourceOutcomes } from '../../src/store/snapshot-index.js';
import { spawnTreesnap, type LogLine } from '../support/daemon-process.js';
import { freshChroot } from '../support/zookeeper.js';
import { SOURCES } from '../../src/snapshot/source-name.js';

let dir: string;
let sim: SimulatedCluster;
let zk: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'treesnap-abandon-'));
  zk = (await freshChroot('daemon-abandon')).connectString;
  sim = await startSimulatedCluster({ zk, hosts: 6, fanout: 3 });
});

after(async () => {
  await sim?.stop({ clean: true });
  rmSync(dir, { recursive: true, force: true });
});

const WAIT = { timeoutMs: 30_000 };
const collection = (outcome: string) => (l: LogLine) => l.msg === 'collection' && l.outcome === outcome;

test('past its budget a collection is abandoned, recorded as unknown, and the next tick starts fresh', { timeout: 120_000 }, async () => {
  const db = join(dir, 'budget.db');
  // ping mode waits for the agent's answer; a hung agent makes the probe outlast the 1 s budget.
  const d = spawnTreesnap([
    'run', '--zk', zk, '--db', db, '--cron', '*/2 * * * * *', '--budget', '1s',
    '--probe-mode', 'ping', '--probe-timeout', '1800ms', '--connect-timeout', '1s', '--timeout', '1s',
    '--log-format', 'json', '--log-level', 'debug', '--backoff-after', '0',
  ]);
  try {
    let at = (await d.waitFor(collection('complete'), { ...WAIT, what: 'complete collection' })).index;
    await sim.hangAgent(sim.hostIds[2]!);
    const abandoned = await d.waitFor(collection('abandoned'), { ...WAIT, from: at + 1, what: 'abandoned collection' });
    assert.match(String(abandoned.line.error), /abandoned: the collection outlived its budget of 1s/);
    // Not before its budget; the probe timeout (1.8 s) would have ended it otherwise, and the message says it was the budget.
    assert.ok(Number(abandoned.line.durationMs) >= 1000, `abandoned after ${abandoned.line.durationMs} ms`);
    await sim.startAgent(sim.hostIds[2]!);
    at = (await d.waitFor(collection('complete'), { ...WAIT, from: abandoned.index + 1, what: 'complete again' })).index;
    assert.deepEqual(await d.stop('SIGTERM'), { code: 0, signal: null });

    const h = openDatabase(db, { readonly: true });
    try {
      const id = abandoned.line.snapshot as number;
      const outcomes = sourceOutcomes(h, id);
      assert.equal(outcomes.length, SOURCES.length);
      assert.ok(outcomes.every((o) => !o.ok && o.errorKind === 'abandoned'), 'every source unknown, none half-written');
      const versions = h.$client.prepare('SELECT count(*) FROM fact_versions WHERE from_snapshot = ?').pluck().get(id);
      assert.equal(versions, 0, 'an abandoned tick writes no facts');
      assert.equal(d.lines.filter((l) => l.msg === 'tick skipped').length, 0, 'the budget keeps ticks from overlapping');
    } finally {
      h.$client.close();
    }
  } finally {
    await d.stop('SIGKILL');
    await sim.startAgent(sim.hostIds[2]!);
  }
});

test('SIGTERM during a collection abandons it, records it, and exits 0', { timeout: 120_000 }, async () => {
  const db = join(dir, 'stop.db');
  await sim.hangAgent(sim.hostIds[1]!);
  const d = spawnTreesnap([
    'run', '--zk', zk, '--db', db, '--cron', '*/2 * * * * *', '--budget', '1900ms', '--stop-timeout', '300ms',
    '--probe-mode', 'ping', '--probe-timeout', '1950ms', '--log-format', 'json', '--log-level', 'debug',
  ]);
  try {
    await d.waitFor((l) => l.msg === 'collection', { ...WAIT, what: 'a first tick recorded' });
    const { index } = await d.waitFor((l) => l.msg === 'tick', { ...WAIT, from: d.lines.length, what: 'a tick starting' });
    // A collection is running: it cannot finish before the hung agent's probe times out (1.95 s, past
    // its 1.9 s budget), so only the stop can end it, and the message below says the stop did.
    const exit = await d.stop('SIGTERM');
    assert.deepEqual(exit, { code: 0, signal: null }, d.stderr());
    const last = d.lines.slice(index).find((l) => l.msg === 'collection')!;
    assert.equal(last.outcome, 'abandoned');
    assert.match(String(last.error), /treesnap stopped before the collection finished/);
    assert.deepEqual(d.lines.slice(-3).map((l) => l.msg), ['abandoning the running collection', 'collection', 'stopped']);
    const h = openDatabase(db, { readonly: true });
    try {
      const recorded = sourceOutcomes(h, last.snapshot as number);
      assert.ok(recorded.length === SOURCES.length && recorded.every((o) => o.errorKind === 'abandoned'));
      assert.equal(h.$client.pragma('integrity_check', { simple: true }), 'ok');
    } finally {
      h.$client.close();
    }
  } finally {
    await d.stop('SIGKILL');
    await sim.startAgent(sim.hostIds[1]!);
  }
});

test('a chairman name that does not resolve is recorded as unknown each tick; the rest is read', { timeout: 60_000 }, async () => {
  const db = join(dir, 'dns.db');
  const d = spawnTreesnap([
    'run', '--zk', zk, '--db', db, '--cron', '* * * * * *', '--chairman', 'no-such-chairman.invalid:13000',
    '--connect-timeout', '1s', '--timeout', '1s', '--log-format', 'json',
  ]);
  try {
    const first = await d.waitFor(collection('partial'), { ...WAIT, what: 'a partial collection' });
    const second = await d.waitFor(collection('partial'), { ...WAIT, from: first.index + 1, what: 'another one' });
    for (const { line } of [first, second]) {
      assert.deepEqual(line.failed, ['chairman']);
      assert.match(String(line.error), /^unreachable: .*no-such-chairman\.invalid/);
    }
    assert.deepEqual(await d.stop('SIGTERM'), { code: 0, signal: null });
  } finally {
    await d.stop('SIGKILL');
  }
});
