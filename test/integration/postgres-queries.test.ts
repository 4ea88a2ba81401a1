// Every query command answers on PostgreSQL what it answers on SQLite, byte
// for byte, through the built CLI (issue 18, item 2). The history is a real
// one: the daemon collects the simulator (real ZooKeeper, real Thrift) through
// an incident (a host reported missing and back, an agent stopped and
// started, the chairman diverging, an orphan registration, a corrupt /hosts
// value), with what its watcher saw between ticks, the nodes' Stats and the
// drift it recorded. `treesnap import` copies it into PostgreSQL; then each
// query is asked of both, in text and as JSON, and must give the same exit
// code, stdout and stderr. A second daemon collects the same incident straight
// into PostgreSQL: the drift it records there must be what a live check finds.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EXIT } from '../../src/cli/exit-codes.js';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { hostPath } from '../../src/sim/zk-paths.js';
import { spawnTreesnap, type TreesnapProcess } from '../support/daemon-process.js';
import { must } from '../support/must.js';
import { adminQueryOn, freshDatabase } from '../support/postgres.js';
import { treesnap } from '../support/treesnap-cli.js';
import { freshChroot } from '../support/zookeeper.js';

const WAIT = { timeoutMs: 90_000 };
const cleanups: (() => Promise<unknown> | unknown)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

interface Incident {
  file: string;
  pg: string;
  /** The same incident collected by a daemon writing into PostgreSQL itself. */
  direct: string;
  hosts: string[];
  /** Start times of the first, a middle and the last snapshot (ISO). */
  first: string;
  middle: string;
  last: string;
}

/** Waits for `n` more collections of each daemon, from its log line `from[i]` on; returns the indexes after the last. */
async function collections(ds: TreesnapProcess[], n: number, from: number[]): Promise<number[]> {
  const at = [...from];
  for (const [i, d] of ds.entries()) {
    for (let k = 0; k < n; k++) at[i] = (await d.waitFor((l) => l.msg === 'collection', { ...WAIT, from: at[i], what: 'a collection' })).index + 1;
  }
  return at;
}

/** A daemon per history, all collecting the simulator while the incident is injected and repaired. */
async function recordIncident(cluster: SimulatedCluster, dbs: string[]): Promise<void> {
  const ds = dbs.map((db) => {
    const d = spawnTreesnap([
      'run', '--zk', cluster.zk, '--db', db, '--cron', '*/2 * * * * *',
      '--connect-timeout', '2s', '--timeout', '2s', '--probe-timeout', '500ms', '--log-format', 'json', '--log-level', 'info',
    ]);
    cleanups.push(() => d.stop('SIGKILL').catch(() => undefined));
    return d;
  });
  const h = [...cluster.hostIds];
  const leafOf = (owner: string) => cluster.truth().tree.leaves.find((l) => l.owner === owner)!.id;
  let at = await collections(ds, 2, ds.map(() => 0));
  await must(cluster.reportMissing([h[1]!]));
  await must(cluster.stopAgent(h[6]!));
  await must(cluster.divergeChairman(h[0]!, leafOf(h[2]!)));
  await must(cluster.registerOrphanHost('orphan-1'));
  await must(cluster.writeCorruptValue(hostPath(h[7]!)));
  at = await collections(ds, 3, at);
  await must(cluster.reportResurrected([h[1]!]));
  await must(cluster.startAgent(h[6]!));
  await collections(ds, 3, at);
  for (const d of ds) {
    const exit = await d.stop('SIGTERM', 30_000);
    assert.equal(exit.code, 0, d.stderr());
    assert.doesNotMatch(d.stderr(), /recording drift failed/);
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

async function incident(): Promise<Incident> {
  const { connectString } = await freshChroot('pgqueries');
  const cluster = await startSimulatedCluster({ zk: connectString, hosts: 8, fanout: 2, registerConcurrency: 1 });
  cleanups.push(() => cluster.stop({ clean: true }));
  const dir = mkdtempSync(join(tmpdir(), 'treesnap-pgqueries-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'history.db');
  const direct = await freshDatabase('direct');
  cleanups.push(() => direct.drop());
  await recordIncident(cluster, [file, direct.url]);
  const database = await freshDatabase('queries');
  cleanups.push(() => database.drop());
  const imported = await treesnap(['import', file, '--db', database.url]);
  assert.equal(imported.code, EXIT.OK, imported.stderr);
  const listed = await treesnap(['snapshots', '--limit', '0', '--json', '--db', file]);
  const snapshots = (JSON.parse(listed.stdout) as { snapshots: { id: number; startedAt: number }[] }).snapshots;
  assert.ok(snapshots.length >= 8, `${snapshots.length} collections`);
  const middle = snapshots[Math.floor(snapshots.length / 2)]!;
  return {
    file,
    pg: database.url,
    direct: direct.url,
    hosts: [...cluster.hostIds],
    first: iso(snapshots[0]!.startedAt),
    middle: iso(middle.startedAt),
    last: iso(snapshots.at(-1)!.startedAt),
  };
}

/** One incident for both suites below (two daemons, one simulator). */
let shared: Promise<Incident> | undefined;
const theIncident = () => (shared ??= incident());

/** The calls compared: each query command in text and JSON, over the whole incident and over windows of it. */
function cases(i: Incident): string[][] {
  const [h1, h6, h7] = [i.hosts[1]!, i.hosts[6]!, i.hosts[7]!];
  const calls: string[][] = [
    ['snapshots', '--limit', '0'],
    ['show'], ['show', '1'], ['show', '--at', i.middle], ['show', 'latest', '--source', 'agents'],
    ['diff', '1', 'latest'], ['diff', '2', '3'], ['diff', 'latest', '1'], ['diff', '1', 'latest', '--source', 'zk'],
    ['drift'], ['drift', '1'], ['drift', '--at', i.middle], ['drift', '--since', i.first], ['drift', '--since', i.middle, '--until', i.last],
    ['missing'], ['missing', '--host', h1], ['missing', '--since', i.middle], ['missing', '--limit', '1'],
    ['history', h1], ['history', h6], ['history', h7, '--since', i.middle], ['history', h1, '--limit', '2'], ['history', 'no-such-host'],
    ['timeline', '--since', i.first], ['timeline', '--since', i.middle, '--until', i.last, '--source', 'status'],
    ['clusters'],
  ];
  // A report is HTML or Markdown only.
  const reports = [['report', '--since', i.first, '--format', 'md'], ['report', '--since', i.middle, '--until', i.last, '--format', 'html']];
  return [...calls.flatMap((c) => [c, [...c, '--json']]), ...reports];
}

describe('every query answers on PostgreSQL as on SQLite (an incident recorded by the daemon, imported)', () => {
  let i: Incident;
  before(async () => {
    i = await theIncident();
  });

  test('each call: the same exit code, stdout and stderr on both', async () => {
    const differ: string[] = [];
    for (const args of cases(i)) {
      const [onFile, onPg] = [await treesnap([...args, '--db', i.file]), await treesnap([...args, '--db', i.pg])];
      if (onFile.code === EXIT.USAGE) differ.push(`${args.join(' ')}: a usage error on SQLite: ${onFile.stderr}`);
      else if (onFile.code !== onPg.code || onFile.stdout !== onPg.stdout || onFile.stderr !== onPg.stderr) {
        differ.push(`${args.join(' ')}: exit ${onFile.code} vs ${onPg.code}; stderr ${JSON.stringify(onPg.stderr.slice(0, 200))}`);
      }
    }
    assert.deepEqual(differ, []);
  });

  test('what was compared is the incident: drift found, the missing episode closed, the stopped agent offline then back', async () => {
    const drift = await treesnap(['drift', '--since', i.first, '--json', '--db', i.pg]);
    assert.equal(drift.code, EXIT.OK, drift.stderr);
    assert.match(drift.stdout, /leaf_owner_differs|host_placement_differs|orphan/);
    const missing = JSON.parse((await treesnap(['missing', '--host', i.hosts[1]!, '--json', '--db', i.pg])).stdout) as { missing: { host: string; stillMissing: boolean }[] };
    assert.deepEqual(missing.missing.map((m) => [m.host, m.stillMissing]), [[i.hosts[1]!, false]]);
    const history = await treesnap(['history', i.hosts[6]!, '--db', i.pg]);
    assert.equal(history.code, EXIT.OK, history.stderr);
    assert.match(history.stdout, /OFFLINE/);
    const watched = await treesnap(['timeline', '--since', i.first, '--json', '--db', i.pg]);
    assert.match(watched.stdout, /"watched"/, 'the watcher saw changes between ticks');
  });
});

describe('the drift a daemon records into PostgreSQL is what a live check finds', () => {
  let i: Incident;
  before(async () => {
    i = await theIncident();
  });

  test('drift at every snapshot and as episodes: recorded, then with the record mark removed (checked live), the same', async () => {
    const listed = JSON.parse((await treesnap(['snapshots', '--limit', '0', '--json', '--db', i.direct])).stdout) as { snapshots: { id: number }[] };
    const ids = listed.snapshots.map((s) => s.id);
    assert.ok(ids.length >= 8, `${ids.length} collections`);
    const answers = async () => {
      const out: string[] = [];
      for (const args of [...ids.map((id) => ['drift', String(id), '--json']), ['drift', '--since', i.first, '--json'], ['drift', '--since', i.first]]) {
        const r = await treesnap([...args, '--db', i.direct]);
        out.push(`${args.join(' ')} -> ${r.code}\n${r.stdout}${r.stderr}`);
      }
      return out;
    };
    const mark = await adminQueryOn(i.direct, "SELECT value FROM meta WHERE key = 'drift.recorded'");
    assert.deepEqual(JSON.parse(mark.rows[0]!.value as string), { version: 1, through: ids.at(-1) }, 'the record reaches the last snapshot');
    const versions = await adminQueryOn(i.direct, "SELECT count(*)::int AS n FROM fact_versions WHERE source = 'drift'");
    assert.ok((versions.rows[0]!.n as number) > 0, 'drift items were recorded');
    const recorded = await answers();
    assert.match(recorded.join('\n'), /leaf_owner_differs|host_placement_differs|orphan/);
    await adminQueryOn(i.direct, "DELETE FROM meta WHERE key = 'drift.recorded'");
    assert.deepEqual(await answers(), recorded);
  });
});
