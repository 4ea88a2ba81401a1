// Observations made to share their unchanged parts with the one before
// (share-unchanged.ts), as the daemon records them, must record the same
// history as the observations themselves: the same rows in every table, failed
// sources recorded as failed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shareUnchanged } from '../../../src/daemon/share-unchanged.js';
import type { Observation } from '../../../src/model/observation.js';
import { sourceError } from '../../../src/model/source-error.js';
import type { ZkStat } from '../../../src/model/zk-stat.js';
import { recordCollection } from '../../../src/record/index.js';
import { openDatabase, type Db } from '../../../src/store/open-database.js';
import { sourceOutcomes } from '../../../src/store/snapshot-index.js';
import { observation, type ClusterSpec } from '../../support/observation.js';

const hosts = Array.from({ length: 40 }, (_, i) => `h${i + 1}`);
const leaves = { L1: hosts.slice(0, 10), L2: hosts.slice(10, 20), L3: hosts.slice(20, 30), L4: hosts.slice(30) };

function stat(version: number): ZkStat {
  return { ctime: 1, mtime: 1 + version, czxid: '0x1', mzxid: `0x${version}`, pzxid: '0x1', version, cversion: 0, ephemeralOwner: '0' };
}

/** Collection i of a cluster that changes in the ways a real one does, and whose probes' latencies move every time. */
function collection(i: number, spec: ClusterSpec, statVersion = 1): Observation {
  const obs = observation({ ...spec, at: 1_700_000_000_000 + i * 60_000 });
  if (obs.status.result.ok) for (const [id, p] of Object.entries(obs.status.result.value)) p.latencyMs = ((i * 7 + id.length) % 13) / 10;
  obs.roles.durationMs = 10 + i;
  return { ...obs, zkStats: Object.fromEntries(hosts.map((h) => [`/hosts/${h}`, stat(h === 'h5' ? statVersion : 1)])) };
}

const SEQUENCE: Observation[] = [
  collection(0, { leaves }),
  collection(1, { leaves }),
  collection(2, { leaves, offline: ['h3'] }),
  collection(3, { leaves, offline: ['h3'], failed: { hosts: sourceError('timeout', '/hosts: no reply') } }),
  collection(4, { leaves: { ...leaves, L4: [...leaves.L4, 'h41'] }, offline: ['h3'] }, 2),
  collection(5, { leaves, failed: { roles: sourceError('unreachable', 'connection lost'), status: sourceError('unreachable', 'no node list') } }),
  collection(6, { leaves, registrationOverrides: { h7: { cpuCount: 32 } }, missing: ['h9'] }, 3),
  collection(7, { leaves, registrationOverrides: { h7: { cpuCount: 32 } }, missing: ['h9'] }, 3),
  collection(8, { leaves: { L1: leaves.L1, L2: leaves.L2 } }),
];

function dump(db: Db): Record<string, unknown[]> {
  const tables = db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  return Object.fromEntries(tables.map((t) => [t, db.$client.prepare(`SELECT * FROM "${t}" `).all()]));
}

test('observations sharing their unchanged parts with the one before record byte-identical history, failures included', () => {
  const direct = openDatabase(':memory:');
  const patched = openDatabase(':memory:');
  let held: Observation | null = null; // the daemon's last recorded
  let shared = 0;
  for (const obs of SEQUENCE) {
    recordCollection(direct, structuredClone(obs));
    const next: Observation = shareUnchanged(held, structuredClone(obs));
    if (held && next.hosts.result === held.hosts.result) shared++;
    held = next;
    recordCollection(patched, held);
  }
  assert.ok(shared >= 3, `unchanged /hosts readings shared ${shared} times`);
  const rows = dump(direct);
  assert.equal(rows.snapshots?.length, SEQUENCE.length);
  assert.ok((rows.fact_versions?.length ?? 0) > 100);
  assert.deepStrictEqual(dump(patched), rows);
  const failed = sourceOutcomes(patched, 4).filter((o) => !o.ok).map((o) => o.source);
  assert.deepEqual(failed, ['zk.hosts']);
});
