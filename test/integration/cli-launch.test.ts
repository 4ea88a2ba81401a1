// How bin/treesnap recognises the node that built the startup snapshot
// (the same file, by test -ef, with the same mtime, carried by
// dist/cli/main.blob.mtime), from a copy of the built command and however it
// is called; and that a query ends its process as soon as its answer is out
// (main.ts, exitOnceWritten) with the whole answer and its own exit status.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../src/store/open-database.js';
import { writeSnapshot } from '../../src/store/write-snapshot.js';
import { recordDrift } from '../../src/record/index.js';
import { observation } from '../support/observation.js';
import { treesnap } from '../support/treesnap-cli.js';

function run(cmd: string, args: string[], cwd?: string): { code: number | null; stdout: string; stderr: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TREESNAP_')));
  const r = spawnSync(cmd, args, { cwd, env: { ...env, TREESNAP_DEBUG: '1' }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a query with a reader that waits before reading: the answer must still come whole. */
function readSlowly(args: string[]): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(resolve('bin/treesnap'), args, { stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.pause();
  setTimeout(() => child.stdout.resume(), 300);
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  return new Promise((done) => child.once('close', (code) => done({ code, stdout })));
}

describe('CLI launch', () => {
  let dir: string;
  let copy: string;
  let db: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'treesnap-launch-'));
    copy = join(dir, 'install');
    mkdirSync(join(copy, 'bin'), { recursive: true });
    mkdirSync(join(copy, 'dist', 'cli'), { recursive: true });
    copyFileSync('bin/treesnap', join(copy, 'bin', 'treesnap'));
    for (const f of ['main.cjs', 'main.blob', 'main.blob.node', 'main.blob.mtime']) copyFileSync(join('dist', 'cli', f), join(copy, 'dist', 'cli', f));
    // A copy gets a new mtime; the stamp carries node's, as the build wrote it.
    assert.equal(spawnSync('touch', ['-r', process.execPath, join(copy, 'dist', 'cli', 'main.blob.mtime')]).status, 0);
    db = join(dir, 'history.db');
    const d = openDatabase(db);
    const leaves = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`leaf-${i}`, Array.from({ length: 50 }, (_, j) => `l${i}-host-${j}`)]));
    writeSnapshot(d, observation({ leaves, missing: ['l0-host-1'], at: Date.parse('2026-11-25T03:00:00Z') }));
    recordDrift(d);
    d.$client.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a copy of the built command starts from its snapshot, by path, relative path or symlink', () => {
    const link = join(dir, 'treesnap-link');
    symlinkSync(join(copy, 'bin', 'treesnap'), link);
    for (const [cmd, cwd] of [[join(copy, 'bin', 'treesnap'), undefined], ['./bin/treesnap', copy], [link, undefined]] as const) {
      const r = run(cmd, ['--version'], cwd);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /started from the startup snapshot/, cmd);
    }
  });

  test('node at the recorded path with another mtime (upgraded in place): the plain bundle runs', () => {
    const stamp = join(copy, 'dist', 'cli', 'main.blob.mtime');
    const bin = join(copy, 'bin', 'treesnap');
    try {
      for (const when of ['2001-01-01', '2099-01-01']) {
        assert.equal(spawnSync('touch', ['-d', when, stamp]).status, 0);
        const r = run(bin, ['--version']);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stderr, /started without a startup snapshot/, when);
      }
    } finally {
      assert.equal(spawnSync('touch', ['-r', process.execPath, stamp]).status, 0);
    }
    assert.match(run(bin, ['--version']).stderr, /started from the startup snapshot/);
  });

  test('a query read slowly: its whole answer, then its own exit status', async () => {
    const shown = await readSlowly(['show', '--all', '--json', '--db', db]);
    assert.equal(shown.code, 0);
    const whole = await treesnap(['show', '--all', '--json', '--db', db]);
    assert.ok(shown.stdout.length > 100_000, `${shown.stdout.length} bytes: more than a pipe holds`);
    assert.equal(shown.stdout, whole.stdout);
    const drift = await readSlowly(['drift', '--db', db]);
    assert.equal(drift.code, 3, 'drift found: exit 3');
    assert.match(drift.stdout, /l0-host-1/);
  });
});
