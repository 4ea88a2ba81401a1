// A postgres:// history given to a command the PostgreSQL store does not serve
// (collect, prune and every query are served: postgres-commands.test.ts,
// postgres-queries.test.ts; run: daemon-failover.test.ts): the SQLite file's
// own upkeep (verify, backup) and doctor refuse it in one line (exit
// 2, the URL's password never shown), from --db and from TREESNAP_DB alike;
// commands that do not touch the history are unaffected. And the SQLite path never loads the pg
// driver: not at start-up, not for a query.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EXIT } from '../../src/cli/exit-codes.js';
import { openDatabase } from '../../src/store/open-database.js';
import { writeSnapshot } from '../../src/store/write-snapshot.js';
import { observation } from '../support/observation.js';
import { assertOneLineError, treesnap } from '../support/treesnap-cli.js';

const URL = 'postgres://treesnap:s3cret-pw@db.example:5432/history';

const HISTORY_COMMANDS: string[][] = [
  ['verify'],
  ['backup', '/tmp/never-written.db'],
  ['doctor', '--zk', '127.0.0.1:1'],
];

describe('a postgres:// history on the command line', () => {
  let dir: string;
  let db: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'treesnap-pgurl-'));
    db = join(dir, 'history.db');
    const d = openDatabase(db);
    writeSnapshot(d, observation({ leaves: { L1: ['h1', 'h2'] } }));
    d.$client.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const args of HISTORY_COMMANDS) {
    test(`treesnap ${args[0]} refuses it: not yet served by this command`, async () => {
      const pattern = new RegExp(`--db postgres://treesnap@db\\.example:5432/history: the PostgreSQL store is not yet served by \`treesnap ${args[0]}\``);
      const flag = await treesnap([...args, '--db', URL], { timeoutMs: 60_000 });
      assertOneLineError(flag, EXIT.USAGE, pattern, '--db');
      assert.doesNotMatch(flag.stderr, /s3cret/);
      const env = await treesnap(args, { env: { TREESNAP_DB: URL }, timeoutMs: 60_000 });
      assertOneLineError(env, EXIT.USAGE, pattern, 'TREESNAP_DB');
    });
  }

  test('every query command on a server that refuses: one line, exit 6, no password', async () => {
    const refused = 'postgres://treesnap:s3cret-pw@127.0.0.1:1/history';
    for (const args of [['show'], ['diff', '1', 'latest'], ['drift'], ['missing'], ['history', 'h1'], ['timeline', '--since', '1d ago'], ['report', '--since', '1d ago'], ['clusters']]) {
      const r = await treesnap([...args, '--db', refused], { timeoutMs: 60_000 });
      assertOneLineError(r, EXIT.DATABASE, /cannot open postgres:\/\/treesnap@127\.0\.0\.1:1\/history: /, args[0]!);
      assert.doesNotMatch(r.stderr, /s3cret/);
    }
  });

  test('commands that do not touch the history are unaffected', async () => {
    for (const args of [['--version'], ['sim', '--help'], ['show', '--help'], ['completion']]) {
      const r = await treesnap(args, { env: { TREESNAP_DB: URL } });
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    }
  });

  test('the SQLite CLI never loads pg: not at start-up, not for a query', () => {
    // Records every module the CLI requires whose name is pg's or one of its parts'.
    const hook = join(dir, 'watch-pg.cjs');
    writeFileSync(hook, `const M = require('node:module'); const load = M._load;
M._load = function (request, ...rest) { if (/^(pg|pg-[a-z]+)(\\/|$)/.test(request)) process.stderr.write('LOADED ' + request + '\\n'); return load.call(this, request, ...rest); };\n`);
    const run = (args: string[]) => spawnSync(process.execPath, ['--require', hook, resolve('dist/cli/main.cjs'), ...args], { encoding: 'utf8', cwd: dir });
    const control = spawnSync(process.execPath, ['--require', hook, '-e', "require('pg')"], { encoding: 'utf8', cwd: resolve('.') });
    assert.match(control.stderr, /LOADED pg/, 'the hook sees pg when it is loaded');
    for (const args of [['--version'], ['show', '--json', '--db', db], ['snapshots', '--db', db]]) {
      const r = run(args);
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /LOADED/, args.join(' '));
    }
  });
});
