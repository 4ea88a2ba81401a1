// How the installed command starts (bin/treesnap): a query from the queries'
// bundle, anything else from the full one; with the build's V8 code cache of
// the bundle when V8 takes it, compiled otherwise, with the same answers
// either way; its version from any directory; and a reader that closes the
// pipe early (`| head`) ends the output quietly, not with a stack trace.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../src/store/open-database.js';
import { writeSnapshot } from '../../src/store/write-snapshot.js';
import { recordDrift } from '../../src/record/index.js';
import { observation } from '../support/observation.js';
import { TREESNAP_BIN, treesnap } from '../support/treesnap-cli.js';

function hosts(leaf: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${leaf}-host-${String(i).padStart(3, '0')}`);
}

/** Runs the CLI, reads its first stdout chunk, then closes the pipe as `head -c` would. */
function readFirstChunkThenClose(args: string[]): Promise<{ code: number | null; stderr: string; first: string }> {
  const child = spawn(TREESNAP_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let first = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.once('data', (d: Buffer) => {
    first = d.toString();
    child.stdout.destroy();
  });
  return new Promise((done) => child.once('close', (code) => done({ code, stderr, first })));
}

describe('CLI startup', () => {
  let dir: string;
  let db: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'treesnap-startup-'));
    db = join(dir, 'history.db');
    const d = openDatabase(db);
    // Big enough that the output outlasts a pipe's buffer; one host missing, so drift is found.
    const leaves = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`leaf-${i}`, hosts(`l${i}`, 50)]));
    writeSnapshot(d, observation({ leaves, missing: ['l0-host-001'], at: Date.parse('2026-11-25T03:00:00Z') }));
    recordDrift(d);
    d.$client.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('starts with the code cache that npm run build wrote', async () => {
    const r = await treesnap(['--version'], { env: { TREESNAP_DEBUG: '1' } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /started with the code cache/);
  });

  test('without it (TREESNAP_NO_CODE_CACHE) the bundle is compiled; with V8 flags the cache was not made for (NODE_OPTIONS), V8 refuses it', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ TREESNAP_NO_CODE_CACHE: '1' }, /started compiled \(no code cache\)/],
      [{ NODE_OPTIONS: '--max-old-space-size=512' }, /started compiled \(the code cache was refused\)/],
    ];
    for (const [env, expected] of cases) {
      const r = await treesnap(['--version'], { env: { ...env, TREESNAP_DEBUG: '1' } });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, expected, JSON.stringify(env));
    }
  });

  test('the daemon and the simulator start without it (they run for days)', async () => {
    for (const command of ['run', 'sim']) {
      const r = await treesnap([command, '--help'], { env: { TREESNAP_DEBUG: '1' } });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /started compiled \(no code cache\)/, command);
    }
  });

  test('a query starts from the queries\' bundle, anything else from main.cjs, with the answers of the full command line', async () => {
    const started = (stderr: string) => /treesnap: debug: started .*\((\w+\.cjs)\)/.exec(stderr)?.[1];
    for (const args of [['show', '--all'], ['drift', '--json'], ['snapshots'], ['history', 'l0-host-001'], ['show', '--bogus']]) {
      const debug = await treesnap([...args, '--db', db], { env: { TREESNAP_DEBUG: '1' } });
      assert.equal(started(debug.stderr), 'queries.cjs', args.join(' '));
      const query = await treesnap([...args, '--db', db]);
      const full = spawnSync(process.execPath, ['dist/cli/main.cjs', ...args, '--db', db], {
        encoding: 'utf8',
        env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TREESNAP_'))),
      });
      assert.equal(query.code, full.status, args.join(' '));
      assert.equal(query.stdout, full.stdout, args.join(' '));
      assert.equal(query.stderr, full.stderr, args.join(' '));
    }
    for (const args of [['--version'], ['verify', '--help'], ['clusters', '--db', db], ['--db', db, 'snapshots']]) {
      const r = await treesnap(args, { env: { TREESNAP_DEBUG: '1' } });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(started(r.stderr), 'main.cjs', args.join(' '));
    }
  });

  test('the same answers with and without the code cache', async () => {
    for (const args of [['show', '--all'], ['show', '--json'], ['drift', '--json'], ['snapshots']]) {
      const cached = await treesnap([...args, '--db', db]);
      const compiled = await treesnap([...args, '--db', db], { env: { TREESNAP_NO_CODE_CACHE: '1' } });
      assert.equal(cached.code, compiled.code, args.join(' '));
      assert.equal(cached.stderr, compiled.stderr, args.join(' '));
      assert.equal(cached.stdout, compiled.stdout, args.join(' '));
      assert.ok(cached.stdout.length > 100, `${args.join(' ')} printed something`);
    }
  });

  test("--version prints package.json's version from any directory", async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const elsewhere = await treesnap(['--version'], { cwd: dir });
    assert.equal(elsewhere.code, 0, elsewhere.stderr);
    assert.equal(elsewhere.stdout.trim(), version);
  });

  test('a reader that closes the pipe early: no error output, and the exit status of the command', async () => {
    const shown = await readFirstChunkThenClose(['show', '--all', '--json', '--db', db]);
    assert.match(shown.first, /^\{/);
    assert.equal(shown.stderr, '');
    assert.equal(shown.code, 0);
    const drift = await readFirstChunkThenClose(['drift', '--db', db]);
    assert.equal(drift.stderr, '');
    assert.equal(drift.code, 3, 'drift found is still exit 3');
  });
});
