// State checkpoints: a source read through its checkpoint plus the net change
// since gives exactly what replaying every version would, checkpoints come
// when due (so a read never applies more versions than the rule allows), and
// histories written before checkpoints existed, pruned, or damaged are handled.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { DatabaseError } from '../../../src/errors.js';
import { summarizeValue } from '../../../src/snapshot/fact-summary.js';
import type { FactKind } from '../../../src/snapshot/fact.js';
import { SOURCES, type SourceName } from '../../../src/snapshot/source-name.js';
import { checkpointDue, checkpointThreshold, decodeState, encodeState, MIN_VERSIONS_PER_CHECKPOINT, OLD_CHECKPOINT_SNAPSHOTS, packState, type StoredFact } from '../../../src/store/checkpoint-format.js';
import { openDatabase, type Db } from '../../../src/store/open-database.js';
import { pruneHistory } from '../../../src/store/prune.js';
import { unpackValue, type StoredValue } from '../../../src/store/value-codec.js';
import { readSourceState } from '../../../src/store/read-source-state.js';
import { migrationsThrough } from '../../support/old-migrations.js';
import { randomHistory, T0, writeHistory as write, type Write } from '../../support/random-history.js';
import { codeOf } from '../../../src/store/source-codes.js';

/** The reference: every version up to `upTo`, replayed one by one. */
function replayed(db: Db, source: SourceName, upTo: number, summaries = false): string[] {
  const rows = db.$client
    .prepare(
      `SELECT k.kind, k.entity, v.value FROM fact_versions v JOIN fact_keys k ON k.id = v.key_id
       WHERE k.source = ? AND v.from_snapshot <= ? ORDER BY v.from_snapshot`,
    )
    .all(source, upTo) as { kind: FactKind; entity: string; value: StoredValue }[];
  const state = new Map<string, string>();
  for (const r of rows) {
    const key = `${r.kind}|${r.entity}`;
    const value = unpackValue(r.value); // the row as stored: a registration is packed
    if (value === null) state.delete(key);
    else state.set(key, summaries ? summarizeValue(r.kind, value) : value);
  }
  return [...state].map(([k, v]) => `${k}|${v}`).sort();
}

function read(db: Db, source: SourceName, at: number, summaries = false): string[] {
  return readSourceState(db, source, at, { summaries }).map((f) => `${f.kind}|${f.entity}|${f.value}`).sort();
}

function checkpoints(db: Db, source: SourceName): { snapshot: number; facts: number }[] {
  return db.$client
    .prepare('SELECT snapshot_id AS snapshot, facts FROM state_checkpoints WHERE source = ? ORDER BY snapshot_id')
    .all(source) as { snapshot: number; facts: number }[];
}

/** Every checkpoint row, whole, with its rowid: what a rebuild would rewrite. */
function everyCheckpoint(db: Db): unknown[] {
  return db.$client.prepare('SELECT rowid, * FROM state_checkpoints ORDER BY source, snapshot_id').all();
}

function versionsBetween(db: Db, source: SourceName, after: number, upTo: number): number {
  return db.$client
    .prepare(`SELECT count(*) FROM fact_versions WHERE source = ${codeOf('?')} AND from_snapshot > ? AND from_snapshot <= ?`)
    .pluck()
    .get(source, after, upTo) as number;
}

test('a state read through checkpoints equals replaying every version, whole and summarized', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 1, max: 3 }), (seed, scale) => {
      const db = openDatabase(':memory:');
      const ids = write(db, randomHistory(seed, 150 * scale, 40 * scale));
      assert.ok(checkpoints(db, 'status').length > 0, 'the history is long enough to need checkpoints');
      for (const at of [ids[0]!, ids[ids.length >> 1]!, ids.at(-1)!, ...ids.filter((_, i) => i % 37 === 5)]) {
        for (const source of ['status', 'zk.hosts', 'zk.missing'] as const) {
          assert.deepEqual(read(db, source, at), replayed(db, source, at), `${source} at #${at}`);
          assert.deepEqual(read(db, source, at, true), replayed(db, source, at, true), `${source} summarized at #${at}`);
        }
      }
      db.$client.close();
    }),
    { numRuns: 12 },
  );
});

test('a checkpoint is written as soon as the versions since the last one reach the threshold, and not before', () => {
  const db = openDatabase(':memory:');
  const ids = write(db, randomHistory(7, 1500, 60));
  const last = ids.at(-1)!;
  for (const source of ['status', 'zk.hosts', 'zk.missing'] as const) {
    const list = checkpoints(db, source);
    assert.ok(list.length >= 1, `${source}: ${list.length} checkpoints`);
    let prev = { snapshot: 0, facts: 0 };
    for (const cp of list) {
      const threshold = checkpointThreshold(prev.facts);
      assert.ok(versionsBetween(db, source, prev.snapshot, cp.snapshot) >= threshold, `${source} #${cp.snapshot} is due`);
      assert.ok(versionsBetween(db, source, prev.snapshot, cp.snapshot - 1) < threshold, `${source} #${cp.snapshot} is not late`);
      assert.equal(cp.facts, replayed(db, source, cp.snapshot).length);
      prev = cp;
    }
    assert.ok(versionsBetween(db, source, prev.snapshot, last) < checkpointThreshold(prev.facts), `${source}: none is missing at the end`);
  }
  // Small states still get a checkpoint every MIN_VERSIONS_PER_CHECKPOINT versions.
  assert.ok(checkpoints(db, 'status').length >= Math.floor(versionsBetween(db, 'status', 0, last) / MIN_VERSIONS_PER_CHECKPOINT) - 1);
});

test('a slowly changing state gets a new checkpoint once its last one is old, and a read through it equals replaying every version', () => {
  // 1,500 registrations, one changed every 20 snapshots: a long stretch that never reaches 1,500 versions.
  const hosts = 1_500;
  const length = Math.ceil(OLD_CHECKPOINT_SNAPSHOTS * 2.2);
  const reg = (h: number, n: number): Write => ({ source: 'zk.hosts', kind: 'registration', entity: `h${h}`, value: JSON.stringify({ address: { host: `10.0.${n % 250}.1`, port: 8835 }, availabilityZone: 'az1' }) });
  const history: Write[][] = Array.from({ length }, (_, i) => (i === 0 ? Array.from({ length: hosts }, (_, h) => reg(h, 0)) : i % 20 === 0 ? [reg(i % hosts, i)] : []));
  const db = openDatabase(':memory:');
  const ids = write(db, history);
  const list = checkpoints(db, 'zk.hosts');
  assert.ok(versionsBetween(db, 'zk.hosts', ids[0]!, ids.at(-1)!) < checkpointThreshold(hosts), 'the versions alone never make one due');
  assert.equal(list.length, 3, `the first, then one per ${OLD_CHECKPOINT_SNAPSHOTS} snapshots: ${JSON.stringify(list)}`);
  let prev = { snapshot: 0, facts: 0 };
  for (const cp of list) {
    const due = (upTo: number) => checkpointDue(versionsBetween(db, 'zk.hosts', prev.snapshot, upTo), upTo - prev.snapshot, prev.facts);
    assert.ok(due(cp.snapshot), `#${cp.snapshot} is due`);
    assert.ok(!due(cp.snapshot - 1), `#${cp.snapshot} is not late`);
    prev = cp;
  }
  for (const at of [list[1]!.snapshot - 1, list[1]!.snapshot, list[2]!.snapshot + 7, ids.at(-1)!]) {
    assert.deepEqual(read(db, 'zk.hosts', at), replayed(db, 'zk.hosts', at), `zk.hosts at #${at}`);
    assert.deepEqual(read(db, 'zk.hosts', at, true), replayed(db, 'zk.hosts', at, true), `zk.hosts summarized at #${at}`);
  }
  db.$client.close();
});

test('an unchanged or failed source writes no checkpoint', () => {
  const db = openDatabase(':memory:');
  write(db, randomHistory(3, 400, 50));
  for (const source of ['zk.roles', 'chairman', 'root', 'zk.services'] as const) assert.deepEqual(checkpoints(db, source), []);
});

test('a history written before checkpoints existed is migrated: same reads, checkpoints built, queries bounded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'treesnap-ckpt-'));
  try {
    const path = join(dir, 'old.db');
    const { drizzle } = await import('drizzle-orm/better-sqlite3');
    const { migrate } = await import('drizzle-orm/better-sqlite3/migrator');
    const old = new Database(path);
    migrate(drizzle(old), { migrationsFolder: migrationsThrough(dir, 0) });
    // Written as the old store did: fact_versions without its source column.
    const history = randomHistory(11, 500, 40);
    const key = old.prepare('INSERT INTO fact_keys (source, kind, entity) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET id = id RETURNING id').pluck();
    old.transaction(() => {
      history.forEach((writes, i) => {
        const id = Number(old.prepare('INSERT INTO snapshots (started_at, finished_at, failed_sources) VALUES (?, ?, 0)').run(T0 + i, T0 + i).lastInsertRowid);
        for (const s of SOURCES) old.prepare('INSERT INTO snapshot_sources (snapshot_id, source, ok, duration_ms) VALUES (?, ?, 1, 1)').run(id, s);
        for (const w of writes) old.prepare('INSERT INTO fact_versions (key_id, from_snapshot, value) VALUES (?, ?, ?)').run(key.get(w.source, w.kind, w.entity), id, w.value);
      });
    })();
    old.close();

    assert.throws(() => openDatabase(path, { readonly: true }), (e) => e instanceof DatabaseError && /older treesnap/.test(e.message), 'a reader cannot migrate');
    const db = openDatabase(path);
    assert.ok(checkpoints(db, 'status').length >= 2);
    for (const at of [1, 250, 499, 500]) {
      for (const source of ['status', 'zk.hosts', 'zk.missing'] as const) assert.deepEqual(read(db, source, at), replayed(db, source, at));
    }
    const built = everyCheckpoint(db);
    db.$client.close();
    // Opening again finds nothing to do: the same rows, and the open itself changed no row
    // (a rebuild on every open would write the same rows again, so the rows alone cannot tell).
    const again = openDatabase(path);
    assert.equal(again.$client.prepare('SELECT total_changes()').pluck().get(), 0, 'the second open wrote nothing');
    assert.deepEqual(everyCheckpoint(again), built);
    again.$client.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('after a prune, every kept snapshot reads as before and the oldest kept has checkpoints', () => {
  const db = openDatabase(':memory:');
  const ids = write(db, randomHistory(5, 700, 50));
  const cut = ids[400]!;
  const before = new Map(ids.slice(400).filter((_, i) => i % 29 === 0).map((id) => [id, SOURCES.map((s) => read(db, s, id))]));
  pruneHistory(db, { before: T0 + 400 * 60_000 });
  for (const [id, states] of before) assert.deepEqual(SOURCES.map((s) => read(db, s, id)), states, `#${id}`);
  for (const source of SOURCES) {
    const list = checkpoints(db, source);
    assert.equal(list[0]?.snapshot, cut, `${source}: a checkpoint at the oldest kept snapshot`);
  }
});

test('a damaged checkpoint is a database error, not a wrong answer', () => {
  const db = openDatabase(':memory:');
  write(db, randomHistory(9, 300, 40));
  const cp = checkpoints(db, 'status')[0]!;
  const notDeflate = Buffer.from('not a deflate stream');
  for (const garbage of [notDeflate, deflateRawSync('not json'), 'not json', 'null', '["status","h1","{}"]', '{"nonsense":["h1","{}"]}', '{"status":["h1"]}', '{"status":[1,2]}', '{"status":"h1"}']) {
    db.$client.prepare('UPDATE state_checkpoints SET state = ? WHERE source = ? AND snapshot_id = ?').run(garbage, 'status', cp.snapshot);
    assert.throws(() => readSourceState(db, 'status', cp.snapshot), (e) => e instanceof DatabaseError && /damaged database/.test(e.message));
  }
});

test('checkpoints are stored deflated; a plain-text checkpoint of an older history reads the same', () => {
  const db = openDatabase(':memory:');
  write(db, randomHistory(11, 300, 40));
  const rows = db.$client.prepare('SELECT source, snapshot_id AS snapshot, state, summary FROM state_checkpoints').all() as { source: SourceName; snapshot: number; state: unknown; summary: unknown }[];
  assert.ok(rows.length > 0);
  for (const r of rows) {
    assert.ok(Buffer.isBuffer(r.state), `${r.source} #${r.snapshot}: state stored as a BLOB`);
    assert.ok(r.summary === null || Buffer.isBuffer(r.summary), `${r.source} #${r.snapshot}: summary stored as a BLOB`);
  }
  const status = rows.filter((r) => r.source === 'status').at(-1)!;
  const whole = readSourceState(db, 'status', status.snapshot);
  const summarized = readSourceState(db, 'status', status.snapshot, { summaries: true });
  db.$client
    .prepare('UPDATE state_checkpoints SET state = ?, summary = ? WHERE source = ? AND snapshot_id = ?')
    .run(inflateRawSync(status.state as Buffer).toString(), status.summary === null ? null : inflateRawSync(status.summary as Buffer).toString(), 'status', status.snapshot);
  assert.equal(typeof db.$client.prepare('SELECT state FROM state_checkpoints WHERE source = ? AND snapshot_id = ?').pluck().get('status', status.snapshot), 'string');
  assert.deepEqual(readSourceState(db, 'status', status.snapshot), whole);
  assert.deepEqual(readSourceState(db, 'status', status.snapshot, { summaries: true }), summarized);
});

test('a stored state reads back as written, in ASCII or not (names and values outside ASCII take the UTF-8 path)', () => {
  const reg = (entity: string, zone: string): StoredFact => ({ kind: 'registration', entity, value: JSON.stringify({ address: { host: entity, port: 8835 }, availabilityZone: zone }) });
  for (const facts of [
    [reg('h1', 'az1'), reg('h2', 'az2')],
    [reg('h1', 'zone-ß'), reg('höst-ü', 'az1'), reg('h3', '区域 🛰')],
  ]) {
    const groups = decodeState(packState(encodeState(facts)));
    assert.deepEqual(groups?.get('registration'), facts.flatMap((f) => [f.entity, f.value]));
  }
});
