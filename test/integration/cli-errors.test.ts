// Bad input gets a one-line error and a documented exit code, never a stack
// trace, and never touches stored data.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../src/store/open-database.js';
import { writeSnapshot } from '../../src/store/write-snapshot.js';
import { observation } from '../support/observation.js';
import { TREESNAP_BIN } from '../support/treesnap-cli.js';

function treesnap(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(TREESNAP_BIN, args, {
    encoding: 'utf8',
    env: { ...process.env, TREESNAP_ZK: '', TREESNAP_DB: '', ...env },
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function assertOneLineError(r: { code: number | null; stderr: string }, code: number, pattern: RegExp): void {
  assert.equal(r.code, code, r.stderr);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line expected, got:\n${r.stderr}`);
  assert.match(lines[0]!, /^treesnap: /);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

describe('CLI input errors', () => {
  let dir: string;
  let db: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'treesnap-cli-'));
    db = join(dir, 'history.db');
    const d = openDatabase(db);
    writeSnapshot(d, observation({ leaves: { L1: ['h1', 'h2'] }, at: Date.parse('2026-11-25T03:00:00Z') }));
    d.$client.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases: [string, string[], number, RegExp][] = [
    ['unknown command', ['frobnicate'], 2, /Unknown argument|Unknown command/i],
    ['no command', [], 2, /command/],
    ['collect without --zk', ['collect'], 2, /no ZooKeeper given/],
    ['malformed --zk', ['collect', '--zk', 'not a host::x'], 2, /--zk/],
    ['malformed --chairman', ['collect', '--zk', '127.0.0.1:2181', '--chairman', 'host-without-port'], 2, /--chairman: .*host:port/],
    ['bad duration', ['collect', '--zk', '127.0.0.1:2181', '--timeout', 'soon'], 2, /--timeout: .*not a duration/],
    ['bad concurrency', ['collect', '--zk', '127.0.0.1:2181', '--probe-concurrency', '0'], 2, /--probe-concurrency/],
    ['bad snapshot ref', ['show', 'the-big-one'], 2, /not a snapshot reference/],
    ['snapshot not found', ['show', '999'], 7, /no snapshot #999/],
    ['time before history', ['show', '--at', '1999-01-01'], 7, /no snapshot at or before/],
    ['since after until', ['snapshots', '--since', 'now', '--until', '2h ago'], 2, /--since is after --until/],
    ['malformed time', ['snapshots', '--since', 'yesterday-ish'], 2, /--since: .*not a time/],
    ['both ref and --at', ['show', 'latest', '--at', 'now'], 2, /not both/],
    ['unknown source', ['show', '--source', 'etcd'], 2, /Invalid values|Choices/i],
  ];
  for (const [name, args, code, pattern] of cases) {
    test(name, () => assertOneLineError(treesnap([...args, '--db', db]), code, pattern));
  }

  test('a missing database file is a database error, and is not created by a read', () => {
    const missing = join(dir, 'nope.db');
    assertOneLineError(treesnap(['show', '--db', missing]), 6, /cannot open database/);
    assert.throws(() => statSync(missing));
  });

  test('a file that is not a database is refused and left as it was', () => {
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'this is not sqlite\n'.repeat(100));
    assertOneLineError(treesnap(['collect', '--zk', '127.0.0.1:1', '--db', junk]), 6, /database/);
    assertOneLineError(treesnap(['show', '--db', junk]), 6, /database/);
    assert.equal(readFileSync(junk, 'utf8'), 'this is not sqlite\n'.repeat(100));
  });

  test('a config file that is not JSON is a usage error', () => {
    const cfg = join(dir, 'bad.json');
    writeFileSync(cfg, '{ zk: ');
    assertOneLineError(treesnap(['snapshots', '--config', cfg, '--db', db]), 2, /--config .*not valid JSON/);
  });

  test('options come from a config file and TREESNAP_* variables', () => {
    const cfg = join(dir, 'good.json');
    writeFileSync(cfg, JSON.stringify({ db }));
    const fromFile = treesnap(['snapshots', '--config', cfg, '--json']);
    assert.equal(fromFile.code, 0, fromFile.stderr);
    assert.equal(JSON.parse(fromFile.stdout).snapshots.length, 1);
    const fromEnv = treesnap(['snapshots', '--json'], { TREESNAP_DB: db });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    assert.equal(JSON.parse(fromEnv.stdout).snapshots.length, 1);
  });

  test('the database file is created owner-only', () => {
    const fresh = join(dir, 'fresh.db');
    treesnap(['collect', '--zk', '127.0.0.1:1', '--connect-timeout', '300ms', '--db', fresh]);
    assert.equal(statSync(fresh).mode & 0o777, 0o600);
  });
});
