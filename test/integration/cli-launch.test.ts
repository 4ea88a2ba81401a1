// A copy of the built command starts with its code cache however it is called,
// a query from the queries' bundle where the copy has it, and a cache V8
// refuses (damaged, or another bundle's) only costs the compile;
// and a query ends its process as soon as its answer is out (program.ts,
// exitOnceWritten) with the whole answer and its own exit status.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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
    for (const f of ['main.cjs', 'start.cjs', 'main.cjs.cache']) copyFileSync(join('dist', 'cli', f), join(copy, 'dist', 'cli', f));
    // What a query loads at run time, found from the package root: better-sqlite3's addon, the migrations' journal.
    copyFileSync('package.json', join(copy, 'package.json'));
    symlinkSync(resolve('node_modules'), join(copy, 'node_modules'));
    symlinkSync(resolve('migrations'), join(copy, 'migrations'));
    db = join(dir, 'history.db');
    const d = openDatabase(db);
    const leaves = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`leaf-${i}`, Array.from({ length: 50 }, (_, j) => `l${i}-host-${j}`)]));
    writeSnapshot(d, observation({ leaves, missing: ['l0-host-1'], at: Date.parse('2026-11-25T03:00:00Z') }));
    recordDrift(d);
    d.$client.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a copy of the built command starts with its code cache, by path, relative path or symlink', () => {
    const link = join(dir, 'treesnap-link');
    symlinkSync(join(copy, 'bin', 'treesnap'), link);
    for (const [cmd, cwd] of [[join(copy, 'bin', 'treesnap'), undefined], ['./bin/treesnap', copy], [link, undefined]] as const) {
      const r = run(cmd, ['--version'], cwd);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /started with the code cache/, cmd);
    }
  });

  test('a cache V8 refuses (damaged, or made for another bundle) is not used, and the answers are the same', () => {
    const bin = join(copy, 'bin', 'treesnap');
    const cache = join(copy, 'dist', 'cli', 'main.cjs.cache');
    const bundle = join(copy, 'dist', 'cli', 'main.cjs');
    const args = ['show', '--db', db];
    const expected = run(bin, args).stdout;
    assert.match(expected, /leaf-0/);
    const good = readFileSync(cache);
    const source = readFileSync(bundle);
    const damaged = Buffer.from(good);
    damaged.fill(7, 64, 4096);
    try {
      for (const [what, spoil] of [
        ['damaged', () => writeFileSync(cache, damaged)],
        ['another bundle', () => writeFileSync(bundle, Buffer.concat([source, Buffer.from('\n// another build\n')]))],
      ] as const) {
        spoil();
        const r = run(bin, args);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stderr, /started compiled \(the code cache was refused\)/, what);
        assert.equal(r.stdout, expected, what);
        writeFileSync(cache, good);
        writeFileSync(bundle, source);
      }
    } finally {
      writeFileSync(cache, good);
      writeFileSync(bundle, source);
    }
    assert.match(run(bin, ['--version']).stderr, /started with the code cache/);
  });

  test("a copy with the queries' bundle starts a query from it, with its own cache; without it, from main.cjs; the same answer each way", () => {
    const full = join(dir, 'install-full');
    mkdirSync(join(full, 'bin'), { recursive: true });
    mkdirSync(join(full, 'dist', 'cli'), { recursive: true });
    copyFileSync('bin/treesnap', join(full, 'bin', 'treesnap'));
    for (const f of ['main.cjs', 'start.cjs', 'main.cjs.cache', 'queries.cjs', 'queries.cjs.cache']) copyFileSync(join('dist', 'cli', f), join(full, 'dist', 'cli', f));
    copyFileSync('package.json', join(full, 'package.json'));
    symlinkSync(resolve('node_modules'), join(full, 'node_modules'));
    symlinkSync(resolve('migrations'), join(full, 'migrations'));
    const bin = join(full, 'bin', 'treesnap');
    const args = ['show', '--db', db];
    const first = run(bin, args);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /started with the code cache \(queries\.cjs\)/);
    const cache = join(full, 'dist', 'cli', 'queries.cjs.cache');
    writeFileSync(cache, Buffer.from(readFileSync(cache)).fill(7, 64, 4096));
    const refused = run(bin, args);
    assert.match(refused.stderr, /started compiled \(the code cache was refused\) \(queries\.cjs\)/);
    assert.equal(refused.stdout, first.stdout);
    rmSync(join(full, 'dist', 'cli', 'queries.cjs'));
    const fallback = run(bin, args);
    assert.match(fallback.stderr, /started with the code cache \(main\.cjs\)/);
    assert.equal(fallback.stdout, first.stdout);
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
