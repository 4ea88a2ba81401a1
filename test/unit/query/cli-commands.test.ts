// The query commands' handlers through yargs, in process (exit status,
// stdout, JSON), against a store file written with the real writer.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { diffCommand } from '../../../src/cli/commands/diff.js';
import { driftCommand } from '../../../src/cli/commands/drift.js';
import { historyCommand } from '../../../src/cli/commands/history.js';
import { missingCommand } from '../../../src/cli/commands/missing.js';
import { timelineCommand } from '../../../src/cli/commands/timeline.js';
import { EXIT } from '../../../src/cli/exit-codes.js';
import { runCommands } from '../../support/run-commands.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { writeSnapshot } from '../../../src/store/write-snapshot.js';
import { observation, type ClusterSpec } from '../../support/observation.js';
import { mark } from './marks.js';
import { down } from './store-history.js';

const dir = mkdtempSync(join(tmpdir(), 'treesnap-query-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const DB = join(dir, 'history.db');
const base: ClusterSpec = { leaves: { L1: ['h1', 'h2'], L2: ['h3'] } };
{
  const db = openDatabase(DB);
  const specs: ClusterSpec[] = [base, { ...base, offline: ['h3'] }, { ...base, offline: ['h3'], missing: ['h3'], failed: { chairman: down } }, base];
  specs.forEach((s, i) => writeSnapshot(db, observation({ ...s, at: mark(i + 1).startedAt })));
  db.$client.close();
}

const COMMANDS = [diffCommand, driftCommand, historyCommand, missingCommand, timelineCommand];
const run = (...args: string[]) => runCommands(COMMANDS, DB, args);

test('drift: exit 0 without drift, 3 with drift, in text and JSON', async () => {
  assert.deepEqual(await run('drift', '1'), { code: EXIT.OK, out: 'Snapshot #1 2026-11-25T03:05:00Z: no drift\n' });
  const found = await run('drift', '2', '--settle', '0s');
  assert.equal(found.code, EXIT.DRIFT);
  assert.match(found.out, /OFFLINE but not in \/missing \(undetected failure\?\) \(1\)\n {2}h3 {2}status: OFFLINE {3}zk\.missing: false/);
  const json = await run('drift', '--at', '2026-11-25T03:15:00Z', '--json', '--settle', '0s');
  assert.equal(json.code, EXIT.DRIFT);
  assert.deepEqual(JSON.parse(json.out).drift.map((d: { kind: string }) => d.kind), ['missing_but_placed']);
});

test('drift --since: episodes, exit 3 when any', async () => {
  const r = await run('drift', '--since', '2026-11-25T00:00Z', '--json', '--settle', '0s');
  assert.equal(r.code, EXIT.DRIFT);
  assert.deepEqual(
    JSON.parse(r.out).episodes.map((e: { kind: string; start: { by: { id: number } } }) => `${e.kind}@${e.start.by.id}`),
    ['offline_not_missing@2', 'missing_but_placed@3'],
  );
});

test('usage and not-found errors map to their exit codes', async () => {
  assert.equal((await run('drift', '1', '--at', 'now')).code, EXIT.USAGE);
  assert.equal((await run('drift', '--until', 'now')).code, EXIT.USAGE);
  assert.equal((await run('drift', '99')).code, EXIT.NOT_FOUND);
  assert.equal((await run('history', 'nope')).code, EXIT.NOT_FOUND);
  assert.equal((await run('diff', '1', 'yesterday-ish')).code, EXIT.USAGE);
  assert.equal((await run('timeline')).code, EXIT.USAGE, '--since is required');
});

test('diff, missing, history and timeline print their reports', async () => {
  const diff = await run('diff', '1', 'latest~1', '--source', 'zk', '--json');
  assert.equal(diff.code, EXIT.OK);
  assert.deepEqual(JSON.parse(diff.out).sources.map((s: { source: string }) => s.source), ['zk.services', 'zk.roles', 'zk.hosts', 'zk.missing']);
  const missing = await run('missing', '--host', 'h3');
  assert.match(missing.out, /h3: 1 episode\n {2}missing since between 2026-11-25T03:10:00Z and 03:15:00Z {2}back between 2026-11-25T03:15:00Z and 03:20:00Z/);
  const history = await run('history', 'h3');
  assert.match(history.out, /^History of h3 #1 .*: \d+ changes/);
  const timeline = await run('timeline', '--since', '2026-11-25T03:10Z', '--until', '2026-11-25T03:15Z');
  assert.match(timeline.out, /chairman {8}UNKNOWN from here \(unreachable: ECONNREFUSED\)/);
});
