// What the commands print for a person, checked line by line against a small
// fixed history written with the real writer: show (the tree, the 50-leaf
// limit, an unknown source, --source, --at), snapshots (--since, --limit),
// prune (and --dry-run), missing and history with --since/--until, the pages of
// timeline and drift --since.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { driftCommand } from '../../../src/cli/commands/drift.js';
import { historyCommand } from '../../../src/cli/commands/history.js';
import { missingCommand } from '../../../src/cli/commands/missing.js';
import { pruneCommand } from '../../../src/cli/commands/prune.js';
import { showCommand } from '../../../src/cli/commands/show.js';
import { snapshotsCommand } from '../../../src/cli/commands/snapshots.js';
import { timelineCommand } from '../../../src/cli/commands/timeline.js';
import { EXIT } from '../../../src/cli/exit-codes.js';
import { runCommands } from '../../support/run-commands.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { writeSnapshot } from '../../../src/store/write-snapshot.js';
import { observation, type ClusterSpec } from '../../support/observation.js';
import { mark } from './marks.js';
import { down } from './store-history.js';

const dir = mkdtempSync(join(tmpdir(), 'treesnap-text-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function history(path: string, specs: ClusterSpec[]): string {
  const db = openDatabase(path);
  specs.forEach((s, i) => writeSnapshot(db, observation({ ...s, at: mark(i + 1).startedAt })));
  db.$client.close();
  return path;
}

const base: ClusterSpec = { leaves: { L1: ['h1', 'h2'], L2: ['h3'] } };
// #1 well; #2 h3 offline; #3 h3 reported missing, the chairman unreachable; #4 well; #5 h2 reported missing.
const DB = history(join(dir, 'history.db'), [
  base,
  { ...base, offline: ['h3'] },
  { ...base, offline: ['h3'], missing: ['h3'], failed: { chairman: down } },
  base,
  { ...base, missing: ['h2'] },
]);

const COMMANDS = [showCommand, snapshotsCommand, pruneCommand, missingCommand, historyCommand, timelineCommand, driftCommand];
const run = (db: string, ...args: string[]) => runCommands(COMMANDS, db, args);

const HEADER_3 = [
  'Snapshot #3  2026-11-25T03:15:00Z  (collected in 100ms, 1 source(s) failed)',
  '  agents ok (1ms)',
  '  chairman UNKNOWN (unreachable: ECONNREFUSED)',
  '  root ok (1ms)',
  '  status ok (1ms)',
  '  zk.hosts ok (1ms)',
  '  zk.missing ok (1ms)',
  '  zk.roles ok (1ms)',
  '  zk.services ok (1ms)',
  '  service chairman: leader 127.0.0.1:13000 (1 member)',
  '  service root-scheduler: leader 127.0.0.1:15000 (1 member)',
];

test('show: the outcomes, then the ZooKeeper tree with status and missing marks', async () => {
  const r = await run(DB, 'show', '3');
  assert.equal(r.code, EXIT.OK);
  assert.equal(
    r.out,
    [
      ...HEADER_3,
      '',
      'ZooKeeper tree (/roles)',
      'ROOT  127.0.0.1:15000  ONLINE',
      '├─ leaf L1  owner h1  127.0.0.1:20001',
      '│  ├─ h1 (owner)  127.0.0.1:20001  ONLINE',
      '│  └─ h2  127.0.0.1:20002  ONLINE',
      '└─ leaf L2  owner h3  127.0.0.1:20003',
      '   └─ h3 (owner)  127.0.0.1:20003  OFFLINE  MISSING',
      '',
      'Missing (/missing): h3',
      '',
    ].join('\n'),
  );
});

test('show --source chairman in a snapshot where it was unknown: marked, and its tree as last known', async () => {
  const r = await run(DB, 'show', '3', '--source', 'chairman');
  const lines = r.out.split('\n');
  assert.deepEqual(lines.slice(0, HEADER_3.length), HEADER_3);
  assert.equal(lines[HEADER_3.length + 1], "Chairman's tree (get_schedulers)  [UNKNOWN in this snapshot: unreachable: ECONNREFUSED; last known from snapshot #2]");
  assert.equal(lines[HEADER_3.length + 7], '   └─ h3 (owner)  127.0.0.1:20003  OFFLINE  MISSING');
  assert.ok(!r.out.includes('ZooKeeper tree'), '--source chairman shows only the chairman');
});

test('show --at picks the snapshot at or before the time', async () => {
  const r = await run(DB, 'show', '--at', '2026-11-25T03:12:00Z', '--source', 'chairman');
  const lines = r.out.split('\n');
  assert.equal(lines[0], 'Snapshot #2  2026-11-25T03:10:00Z  (collected in 100ms)');
  assert.equal(lines[2], '  chairman ok (1ms)');
  assert.equal(lines[12], "Chairman's tree (get_schedulers)");
  assert.equal(lines[18], '   └─ h3 (owner)  127.0.0.1:20003  OFFLINE');
});

test('show: the first 50 leaves, then how many more and how to see them', async () => {
  const leaves: Record<string, string[]> = {};
  for (let i = 1; i <= 55; i++) leaves[`L${String(i).padStart(2, '0')}`] = [`h${i}`];
  const db = history(join(dir, 'wide.db'), [{ leaves }]);
  const shown = (await run(db, 'show', 'latest')).out.split('\n');
  assert.equal(shown.filter((l) => l.includes('─ leaf ')).length, 50);
  assert.deepEqual(shown.slice(-4), ['├─ leaf L50  owner h50  127.0.0.1:20050', '│  └─ h50 (owner)  127.0.0.1:20050  ONLINE', '└─ … 5 more leaves (--all to show)', '']);
  const all = (await run(db, 'show', 'latest', '--all')).out.split('\n');
  assert.equal(all.filter((l) => l.includes('─ leaf ')).length, 55);
  assert.ok(all.includes('└─ leaf L55  owner h55  127.0.0.1:20055'));
});

test("show: an owner's agent marked where it does not hold its leaf; --source agents lists every agent asked", async () => {
  const db = history(join(dir, 'agents.db'), [
    {
      ...base,
      agents: [
        { host: 'h1', state: 'no_role' },
        { host: 'h3', state: 'unknown', error: { kind: 'timeout', message: 'no reply within 1000 ms' } },
      ],
    },
  ]);
  const tree = (await run(db, 'show', 'latest')).out.split('\n');
  assert.ok(tree.includes('│  ├─ h1 (owner)  127.0.0.1:20001  ONLINE  AGENT HOLDS NO ROLE'), tree.join('\n'));
  assert.ok(tree.includes('   └─ h3 (owner)  127.0.0.1:20003  ONLINE  AGENT UNKNOWN (TIMEOUT)'), tree.join('\n'));
  const agents = (await run(db, 'show', 'latest', '--source', 'agents')).out.split('\n');
  assert.deepEqual(agents.slice(-4), ["Agents' own view (get_schedulers, 2 asked)", '  h1  holds no role', '  h3  unknown (timeout): no reply within 1000 ms', '']);
  assert.ok(!agents.includes('ZooKeeper tree (/roles)'));
});

const TABLE_HEAD = ['id  started                took  sources           leaves  hosts  offline', '--  --------------------  -----  ----------------  ------  -----  -------'];
const ROWS = [
  '#1  2026-11-25T03:05:00Z  100ms  complete               2      3        0',
  '#2  2026-11-25T03:10:00Z  100ms  complete               2      3        1',
  '#3  2026-11-25T03:15:00Z  100ms  FAILED: chairman       2      3        1',
  '#4  2026-11-25T03:20:00Z  100ms  complete               2      3        0',
  '#5  2026-11-25T03:25:00Z  100ms  complete               2      3        0',
];

test('snapshots: one row each, a failed source named; --since and --limit choose the rows', async () => {
  assert.equal((await run(DB, 'snapshots')).out, [...TABLE_HEAD, ...ROWS, ''].join('\n'));
  assert.equal((await run(DB, 'snapshots', '--since', '2026-11-25T03:14:00Z')).out, [...TABLE_HEAD, ...ROWS.slice(2), ''].join('\n'));
  assert.equal(
    (await run(DB, 'snapshots', '--limit', '2')).out,
    [
      'id  started                took  sources   leaves  hosts  offline',
      '--  --------------------  -----  --------  ------  -----  -------',
      '#4  2026-11-25T03:20:00Z  100ms  complete       2      3        0',
      '#5  2026-11-25T03:25:00Z  100ms  complete       2      3        0',
      '',
    ].join('\n'),
  );
});

test('prune: what was dropped and carried, and --dry-run says "would"', async () => {
  // The fixture lies days in the past: 1d drops all but the newest snapshot.
  const copy = join(dir, 'prune.db');
  copyFileSync(DB, copy);
  const dry = await run(copy, 'prune', '--older-than', '1d', '--dry-run');
  assert.equal(dry.code, EXIT.OK);
  assert.match(
    dry.out,
    /^would drop 4 snapshot\(s\) older than \d{4}-\d\d-\d\dT[\d:.]+Z; history now starts at #5\nwould drop 4 superseded fact version\(s\) and 1 fact key\(s\); 21 version\(s\) in force at #5 would be carried to it\n$/,
  );
  const done = await run(copy, 'prune', '--older-than', '1d');
  assert.match(
    done.out,
    /^dropped 4 snapshot\(s\) older than \d{4}-\d\d-\d\dT[\d:.]+Z; history now starts at #5\ndropped 4 superseded fact version\(s\) and 1 fact key\(s\); 21 version\(s\) in force at #5 were carried to it\n(freed pages are reused by later collections|the file shrank by \d+ KB)\n$/,
  );
  assert.match((await run(copy, 'prune', '--older-than', '3650d')).out, /^nothing older than \d{4}-\d\d-\d\dT[\d:.]+Z to prune\n$/);
  assert.equal(
    (await run(copy, 'snapshots')).out,
    [
      'id  started                took  sources   leaves  hosts  offline',
      '--  --------------------  -----  --------  ------  -----  -------',
      '#5  2026-11-25T03:25:00Z  100ms  complete       2      3        0',
      '',
    ].join('\n'),
  );
});

test('missing --since / --until: only the episodes in the window', async () => {
  assert.equal(
    (await run(DB, 'missing', '--since', '2026-11-25T03:16:00Z')).out,
    [
      'Missing hosts #4 2026-11-25T03:20:00Z → #5 2026-11-25T03:25:00Z: 1 host, 1 episode, 1 still missing',
      '  by leaf and zone: L1: 1 of 2 hosts missing; az1: 1 host missing',
      '',
      'h2: 1 episode, still missing',
      '  missing since between 2026-11-25T03:20:00Z and 03:25:00Z  still missing (as of 2026-11-25T03:25:00Z)  ≥ 0s  probes: ONLINE (answered while listed missing)',
      '',
    ].join('\n'),
  );
  assert.equal(
    (await run(DB, 'missing', '--until', '2026-11-25T03:16:00Z')).out,
    [
      'Missing hosts #1 2026-11-25T03:05:00Z → #3 2026-11-25T03:15:00Z: 1 host, 1 episode, 1 still missing',
      '  by leaf and zone: L2: 1 of 1 host missing; az1: 1 host missing',
      '',
      'h3: 1 episode, still missing',
      '  missing since between 2026-11-25T03:10:00Z and 03:15:00Z  still missing (as of 2026-11-25T03:15:00Z)  ≥ 0s  probes: OFFLINE',
      '',
    ].join('\n'),
  );
});

test('history --since / --until: the changes in the window, and the episodes that touch it', async () => {
  assert.equal(
    (await run(DB, 'history', 'h3', '--since', '2026-11-25T03:14:00Z', '--until', '2026-11-25T03:21:00Z')).out,
    [
      'History of h3 #3 2026-11-25T03:15:00Z → #4 2026-11-25T03:20:00Z: 3 changes',
      '',
      '  between 2026-11-25T03:10:00Z and 03:15:00Z  zk.missing  h3  reported missing',
      '  between 2026-11-25T03:15:00Z and 03:20:00Z  zk.missing  h3  no longer missing',
      '  between 2026-11-25T03:15:00Z and 03:20:00Z  status      h3  OFFLINE → ONLINE',
      '',
      'Missing episodes:',
      'h3: 1 episode',
      '  missing since between 2026-11-25T03:10:00Z and 03:15:00Z  back between 2026-11-25T03:15:00Z and 03:20:00Z  0s–10m  probes: OFFLINE',
      '',
    ].join('\n'),
  );
  const early = (await run(DB, 'history', 'h3', '--until', '2026-11-25T03:12:00Z')).out.split('\n');
  assert.equal(early[0], 'History of h3 #1 2026-11-25T03:05:00Z → #2 2026-11-25T03:10:00Z: 8 changes');
  assert.equal(early.at(-2), '  between 2026-11-25T03:05:00Z and 03:10:00Z  status    h3  ONLINE → OFFLINE');
  assert.ok(!early.some((l) => l.includes('zk.missing')), 'nothing after --until');
  const limited = (await run(DB, 'history', 'h3', '--limit', '2')).out.split('\n');
  assert.equal(limited[1], '(the newest 2; 9 older not shown: a larger --limit, 0 for all, or --since shows them)');
});

test('timeline --limit: the newest N of the window, the same as the end of the whole answer, with the rest counted', async () => {
  const since = ['timeline', '--since', '2026-11-25T03:00:00Z', '--until', '2026-11-25T03:30:00Z'];
  const whole = JSON.parse((await run(DB, ...since, '--json')).out) as { total: number; events: unknown[]; olderEvents?: number };
  assert.ok(whole.events.length > 3, `${whole.events.length} events`);
  assert.equal(whole.olderEvents, undefined, 'JSON: everything, without --limit');
  const page = JSON.parse((await run(DB, ...since, '--json', '--limit', '3')).out) as typeof whole;
  assert.deepEqual(page.events, whole.events.slice(-3));
  assert.equal(page.olderEvents, whole.events.length - 3);
  assert.equal(page.total, whole.total, 'the header counts the window, not the page');
  const allText = (await run(DB, ...since)).out.split('\n');
  const pageText = (await run(DB, ...since, '--limit', '3')).out.split('\n');
  assert.equal(pageText[0], allText[0]);
  assert.equal(pageText[1], `(the newest 3; ${whole.events.length - 3} older not shown: a larger --limit, 0 for all, or an earlier --until shows them)`);
  // The page's rows are the whole answer's last three (their columns aligned on the page alone).
  const squeeze = (l: string) => l.replace(/ {2,}/g, '  ').trim();
  assert.deepEqual(pageText.slice(3, 6).map(squeeze), allText.slice(-4, -1).map(squeeze));
  assert.deepEqual((await run(DB, ...since, '--limit', '0')).out, (await run(DB, ...since)).out);
});

test('drift --since --limit: the newest N episodes, the end of the whole answer; the exit status is the whole window\'s', async () => {
  const since = ['drift', '--since', '2026-11-25T03:00:00Z', '--until', '2026-11-25T03:30:00Z', '--settle', '0s'];
  const all = await run(DB, ...since, '--json');
  const whole = JSON.parse(all.out) as { total: number; episodes: { start: { by: { id: number } } }[]; olderEpisodes?: number };
  assert.ok(whole.episodes.length >= 2, `${whole.episodes.length} episodes`);
  assert.equal(whole.olderEpisodes, undefined, 'JSON: everything, without --limit');
  const limited = await run(DB, ...since, '--json', '--limit', '1');
  const page = JSON.parse(limited.out) as typeof whole;
  assert.deepEqual(page.episodes, whole.episodes.slice(-1));
  assert.equal(page.olderEpisodes, whole.episodes.length - 1);
  assert.equal(page.total, whole.total);
  assert.equal(limited.code, all.code);
  const text = (await run(DB, ...since, '--limit', '1')).out.split('\n');
  assert.equal(text[1], `(the newest 1 episode; ${whole.episodes.length - 1} older not shown: a larger --limit, 0 for all, or an earlier --until shows them)`);
  assert.deepEqual((await run(DB, ...since, '--limit', '0')).out, (await run(DB, ...since)).out);
  assert.equal((await run(DB, 'drift', '--limit', '1')).code, EXIT.USAGE);
});
