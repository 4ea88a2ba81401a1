// `treesnap verify` on real files with a real damaged page (zeroed on disk):
// one in the fact versions, one in a checkpoint, one in the recorded drift;
// and a packed value changed inside its row, which SQLite's checks cannot see.
// Each is found with its snapshot range named; `collect` refuses such a file
// (exit 6) without changing a byte; a query reading the page exits 6 too.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { recordDrift } from '../../src/record/index.js';
import { SOURCES } from '../../src/snapshot/source-name.js';
import { openDatabase } from '../../src/store/open-database.js';
import { readSourceState } from '../../src/store/read-source-state.js';
import type { Damage } from '../../src/verify/damage.js';
import { leaves, zeroPage, type Leaf } from '../support/damage-page.js';
import { randomHistory, writeHistory } from '../support/random-history.js';
import { assertOneLineError, treesnap } from '../support/treesnap-cli.js';
import { codeOf, nameOf } from '../../src/store/source-codes.js';

const dir = mkdtempSync(join(tmpdir(), 'treesnap-verify-'));
const good = join(dir, 'good.db');
const HEAD = 3000;

before(() => {
  const db = openDatabase(good);
  writeHistory(db, randomHistory(7, HEAD, 200));
  recordDrift(db);
  db.$client.close(); // checkpoints the WAL: the file alone is the history
});
after(() => rmSync(dir, { recursive: true, force: true }));

function copyOf(name: string): string {
  const path = join(dir, name);
  copyFileSync(good, path);
  return path;
}

interface VersionKey {
  source: string;
  snapshot: number;
}

/** A leaf of fact_versions in the middle of `source`'s rows, with the snapshots of the versions it holds. */
function versionLeaf(file: string, source: string): { leaf: Leaf; from: number; to: number } {
  const db = new Database(file, { readonly: true });
  const rows = db
    .prepare(`SELECT ${nameOf('v.source')} AS source, from_snapshot AS snapshot FROM fact_versions v ORDER BY v.source, from_snapshot, key_id`)
    .all() as VersionKey[];
  db.close();
  const all = leaves(file, 'fact_versions', true).filter((l) => l.count > 2 && rows.slice(l.start, l.start + l.count).every((r) => r.source === source));
  assert.ok(all.length > 4, `${source} fills several leaves`);
  const leaf = all[Math.floor(all.length / 2)]!;
  const held = rows.slice(leaf.start, leaf.start + leaf.count);
  return { leaf, from: held[0]!.snapshot, to: held.at(-1)!.snapshot };
}

function checkpointsAfter(file: string, source: string, snapshot: number): number[] {
  const db = new Database(file, { readonly: true });
  const ids = db.prepare('SELECT snapshot_id FROM state_checkpoints WHERE source = ? AND snapshot_id > ? ORDER BY snapshot_id').pluck().all(source, snapshot) as number[];
  db.close();
  return ids;
}

async function verifyJson(file: string): Promise<{ code: number; damage: Damage[]; sqlite: string[] }> {
  const r = await treesnap(['verify', '--json', '--db', file]);
  const parsed = JSON.parse(r.stdout) as { damage: Damage[]; sqlite: string[] };
  return { code: r.code ?? -1, damage: parsed.damage, sqlite: parsed.sqlite };
}

test('an intact history verifies: exit 0, no findings', async () => {
  const r = await treesnap(['verify', '--db', good]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /checked 3000 snapshot\(s\) #1-#3000; recorded drift compared through #3000\nintact$/m);
  assert.equal((await treesnap(['verify', '--quick', '--db', good])).code, 0);
});

test('a damaged page of fact versions: verify names the source and the snapshots whose state is lost', async () => {
  const file = copyOf('versions.db');
  const { leaf, from, to } = versionLeaf(file, 'status');
  zeroPage(file, leaf.pageno);
  const v = await verifyJson(file);
  assert.equal(v.code, 6);
  assert.ok(v.sqlite.length > 0, 'SQLite itself sees the damage');
  const lost = v.damage.filter((d) => d.kind === 'versions' && d.source === 'status');
  // A snapshot of the page with its own checkpoint keeps its whole state there: it is not lost.
  const whole = new Set(checkpointsAfter(file, 'status', from - 1).filter((c) => c <= to));
  for (let s = from; s <= to; s++) {
    const named = lost.some((d) => d.from! <= s && d.to! >= s);
    assert.equal(named, !whole.has(s), `#${s} of the page's #${from}-#${to} (checkpoints ${[...whole].join(', ') || 'none'}) named: ${JSON.stringify(lost)}`);
  }
  // The state is whole again at the first checkpoint after the damage (or at the last damaged snapshot, when that is one).
  const next = checkpointsAfter(file, 'status', to - 1)[0]!;
  assert.equal(Math.max(...lost.map((d) => d.to!)), next === to ? to : next - 1);
  assert.ok(lost[0]!.fromTime, 'named by time too');
  // No other source is reported lost.
  assert.deepEqual(v.damage.filter((d) => d.kind === 'versions' && d.source !== 'status'), []);
  const text = await treesnap(['verify', '--db', file]);
  assert.match(text.stdout, new RegExp(`damaged: versions status #${lost[0]!.from}(-#${lost[0]!.to})? \\(`));
});

test('a damaged checkpoint page: verify names the checkpoint and the snapshots that read it', async () => {
  const file = copyOf('checkpoint.db');
  const db = new Database(file, { readonly: true });
  const rows = db.prepare('SELECT source, snapshot_id AS snapshot FROM state_checkpoints ORDER BY rowid').all() as VersionKey[];
  db.close();
  const leaf = leaves(file, 'state_checkpoints', false).find((l) => rows.slice(l.start, l.start + l.count).some((r) => r.source === 'status' && r.snapshot > 500))!;
  const held = rows.slice(leaf.start, leaf.start + leaf.count);
  zeroPage(file, leaf.pageno);
  const v = await verifyJson(file);
  assert.equal(v.code, 6);
  for (const cp of held) {
    const found = v.damage.find((d) => d.kind === 'checkpoint' && d.source === cp.source && d.from === cp.snapshot);
    assert.ok(found, `checkpoint ${cp.source} #${cp.snapshot} reported: ${JSON.stringify(v.damage)}`);
    const next = checkpointsAfter(file, cp.source, cp.snapshot)[0] ?? HEAD + 1;
    assert.equal(found.to, next - 1);
  }
  // The versions are intact: no state is lost.
  assert.deepEqual(v.damage.filter((d) => d.kind === 'versions'), []);
});

test('a damaged page of the recorded drift: verify names the drift snapshots', async () => {
  const file = copyOf('drift.db');
  const { leaf, from, to } = versionLeaf(file, 'drift');
  zeroPage(file, leaf.pageno);
  const v = await verifyJson(file);
  assert.equal(v.code, 6);
  const named = v.damage.filter((d) => d.source === 'drift');
  for (let s = from; s <= to; s++) assert.ok(named.some((d) => d.from! <= s && d.to! >= s), `#${s} of the page's #${from}-#${to} is named`);
  assert.ok(named.some((d) => d.kind === 'versions'), 'the drift states there cannot be reconstructed');
  assert.ok(v.damage.some((d) => d.kind === 'drift' && d.from! >= from && d.from! <= to), 'the recorded drift there is unreadable');
});

test('a checkpoint or a drift record that reads well but is wrong is found by replaying', async () => {
  const file = copyOf('wrong.db');
  const db = new Database(file);
  const cp = db.prepare("SELECT snapshot_id AS id, state FROM state_checkpoints WHERE source = 'status' ORDER BY snapshot_id LIMIT 1 OFFSET 3").get() as { id: number; state: Buffer };
  const state = JSON.parse(inflateRawSync(cp.state).toString()) as Record<string, string[]>;
  state.status!.splice(0, 2); // one fact dropped
  db.prepare("UPDATE state_checkpoints SET state = ? WHERE source = 'status' AND snapshot_id = ?").run(deflateRawSync(JSON.stringify(state)), cp.id);
  const drift = db.prepare(`SELECT from_snapshot AS id, key_id FROM fact_versions WHERE source = ${codeOf("'drift'")} AND value IS NOT NULL LIMIT 1 OFFSET 100`).get() as { id: number; key_id: number };
  db.prepare(`UPDATE fact_versions SET value = '{"ids":["forged"],"sides":{}}' WHERE source = ${codeOf("'drift'")} AND from_snapshot = ? AND key_id = ?`).run(drift.id, drift.key_id);
  db.close();
  const v = await verifyJson(file);
  assert.equal(v.code, 6);
  assert.deepEqual(v.sqlite, []);
  const c = v.damage.find((d) => d.kind === 'checkpoint');
  assert.ok(c && c.source === 'status' && c.from === cp.id && /differs from the state replayed/.test(c.detail), JSON.stringify(v.damage));
  assert.ok(v.damage.some((d) => d.kind === 'drift' && d.from === drift.id), JSON.stringify(v.damage));
});

test('a packed value whose bytes changed (SQLite cannot see it): verify names its snapshot, a query reading it exits 6', async () => {
  const file = copyOf('packed.db');
  const db = new Database(file);
  const row = db
    .prepare("SELECT v.key_id AS keyId, v.from_snapshot AS id FROM fact_versions v JOIN fact_keys k ON k.id = v.key_id WHERE k.kind = 'registration' AND typeof(v.value) = 'blob' AND v.from_snapshot > 1000 LIMIT 1")
    .get() as { keyId: number; id: number };
  db.prepare(`UPDATE fact_versions SET value = X'01FFFFFFFF' WHERE source = ${codeOf("'zk.hosts'")} AND key_id = ? AND from_snapshot = ?`).run(row.keyId, row.id);
  db.close();
  const v = await verifyJson(file);
  assert.equal(v.code, 6);
  assert.deepEqual(v.sqlite, [], 'SQLite sees nothing wrong');
  const lost = v.damage.filter((d) => d.kind === 'versions' && d.source === 'zk.hosts');
  assert.ok(lost.some((d) => d.from! <= row.id && d.to! >= row.id), `#${row.id} is named: ${JSON.stringify(v.damage)}`);
  assert.deepEqual(v.damage.filter((d) => d.source !== 'zk.hosts'), []);
  const r = await treesnap(['show', String(row.id), '--db', file]);
  assertOneLineError(r, 6, /is damaged \(a stored value does not inflate\); this answer is incomplete\. Run `treesnap verify --db/);
});

test('collect refuses a damaged file: exit 6, one line naming it, not a byte written', async () => {
  const file = copyOf('refuse.db');
  zeroPage(file, versionLeaf(file, 'status').leaf.pageno);
  const bytes = readFileSync(file);
  const r = await treesnap(['collect', '--zk', '127.0.0.1:1', '--db', file]);
  assertOneLineError(r, 6, /is damaged \(SQLite quick_check: .*\); nothing was written\. Run `treesnap verify --db/);
  assert.match(r.stderr, new RegExp(file.replace(/[.]/g, '\\.')));
  assert.ok(readFileSync(file).equals(bytes), 'file unchanged');
});

test('a query that reads the damaged page exits 6 naming the file, never a stack trace', async () => {
  const file = copyOf('query.db');
  const { leaf, to } = versionLeaf(file, 'status');
  zeroPage(file, leaf.pageno);
  const r = await treesnap(['show', String(to), '--db', file]);
  assertOneLineError(r, 6, /is damaged \(.*malformed.*\); this answer is incomplete\. Run `treesnap verify --db/);
});

test('--db naming a directory says so', async () => {
  const r = await treesnap(['snapshots', '--db', dir]);
  assertOneLineError(r, 6, /is a directory/);
  const w = await treesnap(['collect', '--zk', '127.0.0.1:1', '--db', dir]);
  assertOneLineError(w, 6, /is a directory/);
});

function stateAt(file: string, id: number): string[] {
  const db = openDatabase(file, { readonly: true });
  try {
    return SOURCES.flatMap((s) => readSourceState(db, s, id).map((f) => `${s}|${f.kind}|${f.entity}|${f.value}`)).sort();
  } finally {
    db.$client.close();
  }
}

test('salvage of a file with lost versions: every other snapshot kept under its id, the lost range named, the new file verifies', async () => {
  const file = copyOf('salvage-src.db');
  const { leaf } = versionLeaf(file, 'status');
  zeroPage(file, leaf.pageno);
  // The snapshots whose state cannot be reconstructed (not those a checkpoint still holds).
  const lostRanges = (await verifyJson(file)).damage.filter((d) => d.kind === 'versions' && d.source === 'status' && /cannot be reconstructed/.test(d.detail));
  assert.ok(lostRanges.length > 0);
  const out = join(dir, 'salvaged.db');
  const r = await treesnap(['verify', '--db', file, '--salvage', out]);
  assert.equal(r.code, 6, 'the source is still damaged');
  assert.match(r.stdout, /^salvaged \d+ snapshot\(s\) into .*salvaged\.db \(it verifies\)$/m);
  // Each lost range is named (a checkpoint inside the damaged page splits it in two).
  for (const d of lostRanges) assert.match(r.stdout, new RegExp(`^lost: #${d.from}${d.to === d.from ? '' : `-#${d.to}`} \\(`, 'm'));
  assert.equal((await treesnap(['verify', '--db', out])).code, 0);
  // Kept snapshots read exactly as in the intact history, before and after each lost range.
  const isLost = (id: number) => lostRanges.some((d) => d.from! <= id && id <= d.to!);
  const around = lostRanges.flatMap((d) => [d.from! - 1, d.to! + 1]).filter((id) => !isLost(id));
  for (const id of [1, ...around, HEAD]) assert.deepEqual(stateAt(out, id), stateAt(good, id), `#${id}`);
  const db = new Database(out, { readonly: true });
  for (const d of lostRanges) assert.equal(db.prepare('SELECT count(*) FROM snapshots WHERE id BETWEEN ? AND ?').pluck().get(d.from, d.to), 0);
  const lostCount = lostRanges.reduce((n, d) => n + d.to! - d.from! + 1, 0);
  assert.equal(db.prepare('SELECT count(*) FROM snapshots').pluck().get(), HEAD - lostCount);
  db.close();
  const again = await treesnap(['verify', '--db', file, '--salvage', out]);
  assertOneLineError(again, 6, /already exists/);
});

test('salvage of a file with a damaged checkpoint loses nothing: the versions rebuild it', async () => {
  const file = copyOf('salvage-cp.db');
  const leaf = leaves(file, 'state_checkpoints', false)[3]!;
  zeroPage(file, leaf.pageno);
  const out = join(dir, 'salvaged-cp.db');
  const r = await treesnap(['verify', '--db', file, '--salvage', out]);
  assert.equal(r.code, 6);
  assert.match(r.stdout, /^salvaged 3000 snapshot\(s\) into .* \(it verifies\)\nnothing lost$/m);
  assert.deepEqual(stateAt(out, 2500), stateAt(good, 2500));
});

test('a damaged page of snapshot rows: verify names those snapshots; salvage leaves them out and every later state reads as before', async () => {
  const file = copyOf('snapshots.db');
  // Keyed (cluster, id) without a rowid since migration 0004: its interior cells hold rows too.
  const all = leaves(file, 'snapshots', true);
  const leaf = all[Math.floor(all.length / 2)]!;
  // The leaf holds the ids ranked start .. start+count-1 (one cluster, ids 1..HEAD, none deleted).
  const from = leaf.start + 1;
  const to = leaf.start + leaf.count;
  zeroPage(file, leaf.pageno);
  const v = await verifyJson(file);
  assert.equal(v.code, 6);
  const named = v.damage.filter((d) => d.kind === 'snapshots');
  for (let s = from; s <= to; s++) assert.ok(named.some((d) => d.from! <= s && d.to! >= s), `#${s} named: ${JSON.stringify(named)}`);
  assert.deepEqual(v.damage.filter((d) => d.kind === 'versions'), [], 'the versions there are not reported as orphans');
  const out = join(dir, 'salvaged-snapshots.db');
  const r = await treesnap(['verify', '--db', file, '--salvage', out]);
  assert.equal(r.code, 6);
  // A range read stepping past its last row touches the next leaf: the rows next to the page may be named too.
  const m = /^lost: #(\d+)-#(\d+): snapshot row unreadable$/m.exec(r.stdout);
  assert.ok(m, r.stdout);
  const [lostFrom, lostTo] = [Number(m[1]), Number(m[2])];
  assert.ok(lostFrom <= from && lostFrom >= from - 1 && lostTo >= to && lostTo <= to + 1, `#${lostFrom}-#${lostTo} is the page's #${from}-#${to}`);
  assert.equal((await treesnap(['verify', '--db', out])).code, 0);
  for (const id of [lostFrom - 1, lostTo + 1, HEAD]) assert.deepEqual(stateAt(out, id), stateAt(good, id), `#${id}`);
});
