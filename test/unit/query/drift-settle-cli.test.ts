// `drift` with settling, ignore rules, --fail-on and --accept, through yargs
// in process against history files written with the real writer, snapshots
// 20 s (or more) apart so that a 60 s settle window spans several of them.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { driftCommand } from '../../../src/cli/commands/drift.js';
import { EXIT } from '../../../src/cli/exit-codes.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { writeSnapshot } from '../../../src/store/write-snapshot.js';
import { observation, type ClusterSpec } from '../../support/observation.js';
import { runCommands } from '../../support/run-commands.js';
import { down } from './store-history.js';

const dir = mkdtempSync(join(tmpdir(), 'treesnap-settle-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.parse('2026-11-25T03:00:00Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString().replace('.000Z', 'Z');
const base: ClusterSpec = { leaves: { L1: ['h1', 'h2'], L2: ['h3'] } };

/** Snapshot #i+1 taken `seconds` after T0. */
function history(name: string, rows: [seconds: number, spec: ClusterSpec][]): string {
  const path = join(dir, `${name}.db`);
  const db = openDatabase(path);
  for (const [s, spec] of rows) writeSnapshot(db, observation({ ...spec, at: T0 + s * 1000 }));
  db.$client.close();
  return path;
}

const run = (db: string, ...args: string[]) => runCommands([driftCommand], db, args);
const json = async (db: string, ...args: string[]) => {
  const r = await run(db, ...args, '--json');
  return { code: r.code, body: JSON.parse(r.out) };
};
const keys = (items: { kind: string; ids: string[] }[]) => items.map((i) => `${i.kind}:${i.ids.join(',')}`);

// h3 goes OFFLINE at #2 (20 s); the status source is unknown at #3 (40 s); still OFFLINE at #4 (90 s), h2 too at #5 (100 s).
const AGING = history('aging', [
  [0, base],
  [20, { ...base, offline: ['h3'] }],
  [40, { ...base, offline: ['h3'], failed: { status: down } }],
  [90, { ...base, offline: ['h3'] }],
  [100, { ...base, offline: ['h2', 'h3'] }],
]);
// h3 OFFLINE at #2 (20 s), well again at #3 (40 s), OFFLINE again from #4 (90 s) on.
const RESET = history('reset', [
  [0, base],
  [20, { ...base, offline: ['h3'] }],
  [40, base],
  [90, { ...base, offline: ['h3'] }],
  [200, { ...base, offline: ['h3'] }],
]);
// h2 and h3 OFFLINE from the first snapshot on.
const FROM_START = history('from-start', [
  [0, { ...base, offline: ['h2', 'h3'] }],
  [20, { ...base, offline: ['h2', 'h3'] }],
]);

test('drift that appeared at the asked snapshot is settling, not drift: exit 0, listed apart with its start', async () => {
  const r = await run(AGING, 'drift', '2');
  assert.equal(r.code, EXIT.OK);
  assert.match(r.out, /: no drift, 1 settling\n/);
  assert.match(r.out, new RegExp(`\\nSettling \\(younger than 1m; not drift yet\\):\\n.*\\(1\\)\\n {4}h3 .*since ${iso(20)}\\n$`));
  const j = await json(AGING, 'drift', '2');
  assert.deepEqual([j.body.total, j.body.drift, keys(j.body.settling), j.body.settling[0].since, j.body.settleMs], [0, [], ['offline_not_missing:h3'], T0 + 20_000, 60_000]);
});

test('still there a window later: drift, exit 3; an unknown source in between neither reset nor aged it', async () => {
  const since = (body: { drift: { since: number | null }[]; settling: { since: number }[] }) => [...body.drift, ...body.settling].map((d) => d.since);
  // 60 s back from #4 (90 s) plus the snapshot before: #2..#4, seen at each but the unknown #3: its start lies before them.
  const j = await json(AGING, 'drift', '4');
  assert.deepEqual([j.code, keys(j.body.drift), since(j.body), j.body.settling], [EXIT.DRIFT, ['offline_not_missing:h3'], [null], []]);
  // A 70 s window reaches #1, where h3 was well: it appeared at 20 s, and the unknown #3 did not reset that.
  const w70 = await json(AGING, 'drift', '4', '--settle', '70s');
  assert.deepEqual([w70.code, keys(w70.body.drift), since(w70.body)], [EXIT.DRIFT, ['offline_not_missing:h3'], [T0 + 20_000]]);
  const w80 = await json(AGING, 'drift', '4', '--settle', '80s');
  assert.deepEqual([w80.code, keys(w80.body.settling), since(w80.body)], [EXIT.OK, ['offline_not_missing:h3'], [T0 + 20_000]]);
  // At #5, h2 has just appeared: h3 is drift, h2 settling.
  const five = await json(AGING, 'drift', '5');
  assert.deepEqual([five.code, keys(five.body.drift), keys(five.body.settling)], [EXIT.DRIFT, ['offline_not_missing:h3'], ['offline_not_missing:h2']]);
  // A shorter window settles it at #2 already; --settle 0s is the old behaviour.
  assert.equal((await run(AGING, 'drift', '2', '--settle', '0s')).code, EXIT.DRIFT);
});

test('an agreement resets the age: drift again at #4 is settling there, settled once a window old', async () => {
  const four = await json(RESET, 'drift', '4');
  assert.deepEqual([four.code, keys(four.body.settling), four.body.settling[0].since], [EXIT.OK, ['offline_not_missing:h3'], T0 + 90_000]);
  const five = await json(RESET, 'drift', '5');
  assert.deepEqual([five.code, keys(five.body.drift)], [EXIT.DRIFT, ['offline_not_missing:h3']]);
});

test('drift present since the first snapshot has no start to measure: settled, "start not seen"', async () => {
  for (const snap of ['1', '2']) {
    const r = await run(FROM_START, 'drift', snap);
    assert.equal(r.code, EXIT.DRIFT, `#${snap}`);
    assert.match(r.out, /\n {2}h3 {2}status: OFFLINE {3}zk\.missing: false {2}start not seen(\n|$)/);
    const j = await json(FROM_START, 'drift', snap);
    assert.deepEqual(j.body.drift.map((d: { since: unknown }) => d.since), [null, null]);
  }
});

function rulesFile(name: string, rules: object[]): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ rules }));
  return path;
}
const rule = (ids: string, until: string) => ({ kind: 'offline_not_missing', ids, reason: 'h3 is being rebuilt', owner: 'ops', until });

test('an ignore rule hides exactly its items, listed apart with the rule; the rest still fails the run', async () => {
  const file = rulesFile('h3.json', [rule('h3', '2999-12-31')]);
  const j = await json(FROM_START, 'drift', '--ignore', file);
  assert.equal(j.code, EXIT.DRIFT, 'h2 is not covered');
  assert.deepEqual([keys(j.body.drift), j.body.total, j.body.counts], [['offline_not_missing:h2'], 1, { offline_not_missing: 1 }]);
  assert.deepEqual(keys(j.body.ignored), ['offline_not_missing:h3']);
  assert.deepEqual(j.body.ignored[0].rule, rule('h3', '2999-12-31'));
  const text = await run(FROM_START, 'drift', '--ignore', file);
  assert.match(text.out, /: 1 drift item, 1 ignored\n/);
  assert.match(text.out, /\nIgnored \(matched by an ignore rule; not counted as drift\):\n.*\n {4}h3 .*rule offline_not_missing h3 \(h3 is being rebuilt; ops, until 2999-12-31\)/);
  const all = await json(FROM_START, 'drift', '--ignore', rulesFile('all.json', [rule('h*', '2999-12-31')]));
  assert.deepEqual([all.code, all.body.drift, all.body.ignored.length], [EXIT.OK, [], 2]);
});

test('an expired rule is reported and stops matching', async () => {
  const file = rulesFile('expired.json', [rule('h*', '2000-01-01')]);
  const j = await json(FROM_START, 'drift', '--ignore', file);
  assert.deepEqual([j.code, j.body.drift.length, j.body.ignored, j.body.expiredRules], [EXIT.DRIFT, 2, [], [rule('h*', '2000-01-01')]]);
  const text = await run(FROM_START, 'drift', '--ignore', file);
  assert.match(text.out, /\nWarning: expired rule offline_not_missing h\* \(h3 is being rebuilt; ops, until 2000-01-01\) no longer matches\n/);
});

test('a malformed or unreadable rules file is a usage error (exit 2)', async () => {
  assert.equal((await run(FROM_START, 'drift', '--ignore', rulesFile('bad-kind.json', [{ ...rule('h3', '2999-12-31'), kind: 'nope' }]))).code, EXIT.USAGE);
  writeFileSync(join(dir, 'not-json.json'), '{"rules": [');
  assert.equal((await run(FROM_START, 'drift', '--ignore', join(dir, 'not-json.json'))).code, EXIT.USAGE);
  assert.equal((await run(FROM_START, 'drift', '--ignore', join(dir, 'absent.json'))).code, EXIT.USAGE);
});

test('--fail-on: exit 3 only for drift of the named kinds; an unknown kind is a usage error', async () => {
  assert.equal((await run(FROM_START, 'drift', '--fail-on', 'leaf_owner_differs')).code, EXIT.OK);
  assert.equal((await run(FROM_START, 'drift', '--fail-on', 'leaf_owner_differs,offline_not_missing')).code, EXIT.DRIFT);
  assert.equal((await run(FROM_START, 'drift', '--fail-on', 'offline')).code, EXIT.USAGE);
  // Settling drift of a --fail-on kind does not fail the run either.
  assert.equal((await run(AGING, 'drift', '2', '--fail-on', 'offline_not_missing')).code, EXIT.OK);
});

test('--accept writes the settled drift as rules; drift with that file then exits 0; a second --accept merges', async () => {
  const file = join(dir, 'accepted.json');
  const acc = await run(FROM_START, 'drift', '--accept', '--ignore', file, '--reason', 'baseline', '--until', '2999-12-31', '--owner', 'me');
  assert.equal(acc.code, EXIT.OK);
  assert.match(acc.out, /^Accepted 2 drift items of snapshot #2 .* as ignore rules in .*accepted\.json \(2 rules in all\)\n$/);
  const written = JSON.parse(readFileSync(file, 'utf8'));
  assert.deepEqual(written.rules.map((r: { ids: string; owner: string }) => `${r.ids}/${r.owner}`), ['h2/me', 'h3/me']);
  assert.equal((await run(FROM_START, 'drift', '--ignore', file)).code, EXIT.OK);
  // Accepting again with the file in force adds nothing; at AGING #5 it adds only what is settled there (h3).
  assert.match((await run(FROM_START, 'drift', '--accept', '--ignore', file, '--reason', 'again', '--until', '2999-12-31')).out, /^Accepted 0 drift items .*\(2 rules in all\)/);
  const other = join(dir, 'aging.json');
  await run(AGING, 'drift', '--accept', '--ignore', other, '--reason', 'x', '--until', '2999-12-31');
  assert.deepEqual(JSON.parse(readFileSync(other, 'utf8')).rules.map((r: { ids: string }) => r.ids), ['h3']);
});

test('--accept refuses to overwrite a file that is not a rules file, unless --force', async () => {
  const file = join(dir, 'precious.json');
  writeFileSync(file, 'not rules');
  const args = ['drift', '--accept', '--ignore', file, '--reason', 'baseline', '--until', '2999-12-31'];
  assert.equal((await run(FROM_START, ...args)).code, EXIT.USAGE);
  assert.equal(readFileSync(file, 'utf8'), 'not rules');
  assert.equal((await run(FROM_START, ...args, '--force')).code, EXIT.OK);
  assert.equal(JSON.parse(readFileSync(file, 'utf8')).rules.length, 2);
  assert.equal((await run(FROM_START, 'drift', '--accept', '--ignore', file, '--until', '2999-12-31')).code, EXIT.USAGE, '--reason is required');
});

test('drift --since: an episode shorter than the window is transient, an open younger one settling, each counted and listed apart; exit 3 only for a lasting one', async () => {
  const short = await json(RESET, 'drift', '--since', iso(0), '--until', iso(60));
  assert.equal(short.code, EXIT.OK);
  assert.deepEqual([short.body.total, short.body.transient, short.body.ignored, short.body.episodes.map((e: { transient: boolean }) => e.transient)], [1, 1, 0, [true]]);
  const text = await run(RESET, 'drift', '--since', iso(0), '--until', iso(60));
  assert.match(text.out, /: 1 episode, 1 transient \(.*\n\nTransient \(over within 1m; never drift\):\n/);
  const all = await json(RESET, 'drift', '--since', iso(0));
  assert.equal(all.code, EXIT.DRIFT, 'the episode from #4 lasts 110 s');
  assert.deepEqual(all.body.episodes.map((e: { transient: boolean }) => e.transient), [true, false]);
  // At #4 the new episode is open and 0 s old: settling, not a reason to page yet.
  const young = await json(RESET, 'drift', '--since', iso(0), '--until', iso(90));
  assert.deepEqual([young.code, young.body.settling, young.body.transient], [EXIT.OK, 1, 1]);
  assert.match((await run(RESET, 'drift', '--since', iso(0), '--until', iso(90))).out, /\nSettling \(open, younger than 1m; not drift yet\):\n/);
  // Ignored episodes do not fail the run either; --fail-on filters kinds.
  assert.equal((await run(RESET, 'drift', '--since', iso(0), '--ignore', rulesFile('h3-since.json', [rule('h3', '2999-12-31')]))).code, EXIT.OK);
  assert.equal((await run(RESET, 'drift', '--since', iso(0), '--fail-on', 'leaf_owner_differs')).code, EXIT.OK);
});
