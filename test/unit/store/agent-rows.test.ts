// The agents' host lists are stored one row per (agent, host) (src/store/agent-shape.ts);
// every read must hand out what a history storing whole lists (before issue 17) hands out,
// and a history holding both shapes (written before, then upgraded) must read alike.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { canonicalJson } from '../../../src/snapshot/canonical-json.js';
import type { WrittenVersion } from '../../../src/store/insert-snapshot-rows.js';
import { insertSnapshotRows, insertStoredVersions } from '../../../src/store/insert-snapshot-rows.js';
import { changedKeys, changedKeysOfSource } from '../../../src/store/changed-keys.js';
import { openDatabase, type Db } from '../../../src/store/open-database.js';
import { readSourceState } from '../../../src/store/read-source-state.js';
import { keyOf, keysOfEntity, keyVersions, versionsInRange, versionsWithBeforeAt, versionsWithBeforeInRange } from '../../../src/store/version-reads.js';
import { deltaRows, type SnapshotDelta } from '../../../src/store/write-snapshot-delta.js';
import { withWriteTransaction } from '../../../src/store/write-transaction.js';
import { SOURCES } from '../../../src/snapshot/source-name.js';
import type { AgentView } from '../../../src/model/agent-view.js';
import { recordCollection } from '../../../src/record/index.js';
import { verifyHistory } from '../../../src/verify/verify-history.js';
import { observation, type ClusterSpec } from '../../support/observation.js';
import { migrationsThrough } from '../../support/old-migrations.js';
import { codeOf } from '../../../src/store/source-codes.js';

const role = (leaf: string | null, hosts: string[], parent: string | null = 'root') => canonicalJson({ leaf, parent: leaf ? parent : null, hosts: [...hosts].sort() });
const unknown = canonicalJson({ unknown: { kind: 'timeout', message: 'no answer' } });

/** Per snapshot: the agents' whole values (null: gone), and one status flip beside them. */
const STEPS: Record<string, string | null>[] = [
  { a1: role('L1', ['h1', 'h2', 'h3']), a2: role('L2', ['h4']), a3: role(null, []) },
  {},
  { a1: role('L1', ['h1', 'h3']), a2: role('L2', ['h2', 'h4']) }, // h2 moves
  { a3: unknown },
  { a1: role('L1', ['h1', 'h3'], 'other') }, // only the parent
  { a3: role('L3', ['h5']), a2: null },
  { a2: role('L2', ['h4']), a1: role('L2', ['h1']) },
  { a3: null },
  { a1: unknown }, // an agent with hosts stops answering: its host rows stay
  { a1: role('L2', ['h1', 'h6']) }, // and answers again with one host more
  { a1: unknown },
  { a1: null }, // gone while unknown
];

function delta(i: number, agents: WrittenVersion[]): SnapshotDelta {
  const status: WrittenVersion = { source: 'status', kind: 'status', entity: 'h1', value: canonicalJson({ status: i % 2 ? 'READY' : 'OFFLINE', address: null, message: null }) };
  return { startedAt: i * 1000, finishedAt: i * 1000 + 1, outcomes: SOURCES.map((source) => ({ source, ok: true, durationMs: 1 })), writes: [status, ...agents] };
}

/** `oldUpTo`: snapshots up to this index store agents' values whole, as histories written before did. */
function history(oldUpTo: number): Db {
  const db = openDatabase(':memory:');
  STEPS.forEach((step, i) => {
    const agents = Object.entries(step).map(([entity, value]): WrittenVersion => ({ source: 'agents', kind: 'agent_role', entity, value }));
    withWriteTransaction(db, () => {
      if (i > oldUpTo) return insertSnapshotRows(db, deltaRows(delta(i, agents)));
      const r = insertSnapshotRows(db, deltaRows(delta(i, [])));
      insertStoredVersions(db, r.snapshotId, 'agents', agents);
      return r;
    });
  });
  return db;
}

const order = (a: object, b: object) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);

/** Everything a reader can ask of the agents, comparable across files. */
function reads(db: Db): unknown {
  const n = STEPS.length;
  const out: Record<string, unknown> = {};
  for (let s = 0; s <= n; s++) out[`state@${s}`] = readSourceState(db, 'agents', s).sort(order);
  for (let a = 0; a <= n; a++) {
    for (let b = 0; b <= n; b++) {
      out[`changed ${a}-${b}`] = changedKeys(db, a, b, SOURCES).sort(order);
      const byStates = changedKeysOfSource(db, a, b, 'agents', 'states').sort(order);
      assert.deepEqual(changedKeysOfSource(db, a, b, 'agents', 'versions').sort(order), byStates, `agents #${a} → #${b}: by versions as by states`);
      out[`agents changed ${a}-${b}`] = byStates;
      if (a < b) {
        out[`range ${a}-${b}`] = [...versionsInRange(db, a, b, SOURCES)].sort(order);
        out[`before ${a}-${b}`] = [...versionsWithBeforeInRange(db, a, b, SOURCES)].sort(order);
        out[`agents ${a}-${b}`] = [...versionsWithBeforeInRange(db, a, b, ['agents'])].sort(order);
      }
    }
  }
  out.at = versionsWithBeforeAt(db, [1, 3, 4, 6, 7, 8], SOURCES).sort(order);
  for (const agent of ['a1', 'a2', 'a3']) {
    const key = keyOf(db, 'agents', 'agent_role', agent)!;
    for (const after of [0, 2, 5]) out[`history ${agent} after ${after}`] = keyVersions(db, key.id, n, after);
  }
  return out;
}

test('agents stored per host read exactly as whole lists did, in every read', () => {
  const whole = history(STEPS.length);
  const split = history(-1);
  assert.deepEqual(reads(split), reads(whole));
  // The split file really holds hosts one per row: the move of h2 wrote two host rows and no list.
  const atMove = split.$client.prepare(`SELECT k.kind, k.entity, v.value FROM fact_versions v JOIN fact_keys k ON k.id = v.key_id WHERE v.source = ${codeOf("'agents'")} AND v.from_snapshot = 3 ORDER BY k.entity`).all();
  assert.deepEqual(atMove, [
    { kind: 'agent_host', entity: 'a1/h2', value: null },
    { kind: 'agent_host', entity: 'a2/h2', value: 'true' },
  ]);
});

test('a history written with whole lists and then upgraded reads as one written either way', () => {
  const whole = history(STEPS.length);
  for (const upgradedAfter of [0, 2, 4]) assert.deepEqual(reads(history(upgradedAfter)), reads(whole), `upgraded after snapshot ${upgradedAfter + 1}`);
});

test('a file written before (whole lists, an index on entity) is migrated in place and reads as before', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'treesnap-agents-'));
  try {
    const path = join(dir, 'old.db');
    const { drizzle } = await import('drizzle-orm/better-sqlite3');
    const { migrate } = await import('drizzle-orm/better-sqlite3/migrator');
    const old = new Database(path);
    migrate(drizzle(old), { migrationsFolder: migrationsThrough(dir, 2) });
    // Written as the store before did, row by row.
    const key = old.prepare('INSERT INTO fact_keys (source, kind, entity) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET id = id RETURNING id').pluck();
    STEPS.forEach((step, i) => {
      const d = delta(i, Object.entries(step).map(([entity, value]): WrittenVersion => ({ source: 'agents', kind: 'agent_role', entity, value })));
      const id = Number(old.prepare('INSERT INTO snapshots (started_at, finished_at, failed_sources) VALUES (?, ?, 0)').run(d.startedAt, d.finishedAt).lastInsertRowid);
      for (const s of SOURCES) old.prepare("INSERT INTO snapshot_sources (snapshot_id, source, ok, duration_ms, stats) VALUES (?, ?, 1, 1, '{}')").run(id, s);
      for (const w of d.writes) old.prepare('INSERT INTO fact_versions (key_id, from_snapshot, value, source) VALUES (?, ?, ?, ?)').run(key.get(w.source, w.kind, w.entity), id, w.value, w.source);
    });
    old.close();
    const db = openDatabase(path);
    assert.equal(db.$client.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'fact_keys_entity_idx'").pluck().get(), 0);
    assert.deepEqual(reads(db), reads(history(STEPS.length)));
    assert.deepEqual(keysOfEntity(db, 'a1').map((k) => [k.source, k.kind]), [['agents', 'agent_role']]);
    assert.deepEqual(keysOfEntity(db, 'h1').map((k) => [k.source, k.kind]), [['status', 'status']]);
    db.$client.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('verify finds a history with agents stored per host and drift recorded intact, and the drift it recomputes matches', () => {
  const db = openDatabase(':memory:');
  const agent = (host: string, leafId: string, hostIds: string[]): AgentView => ({ host, state: 'role', leafId, parentId: 'root', hostIds });
  const specs: ClusterSpec[] = [
    { leaves: { L1: ['h1', 'h2'], L2: ['h3'] }, agents: [agent('h1', 'L1', ['h1', 'h2']), agent('h3', 'L2', ['h3'])] },
    // h2 moves in /roles and the chairman, its agents not yet: agent_hosts_differ on both leaves
    { leaves: { L1: ['h1'], L2: ['h3', 'h2'] }, agents: [agent('h1', 'L1', ['h1', 'h2']), agent('h3', 'L2', ['h3'])] },
    { leaves: { L1: ['h1'], L2: ['h3', 'h2'] }, agents: [agent('h1', 'L1', ['h1']), agent('h3', 'L2', ['h2', 'h3'])] },
  ];
  specs.forEach((spec, i) => recordCollection(db, observation({ ...spec, at: 1_700_000_000_000 + i * 60_000 })));
  assert.ok((db.$client.prepare("SELECT count(*) FROM fact_keys WHERE kind = 'agent_host'").pluck().get() as number) > 0);
  const r = verifyHistory(db);
  assert.deepEqual(r.damage, []);
  assert.equal(r.driftCheckedThrough, 3);
  assert.ok(r.intact);
});
