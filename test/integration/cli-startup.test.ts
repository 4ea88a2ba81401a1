// How the installed command starts (bin/treesnap): from the build's V8 startup
// snapshot when it can, as a plain script otherwise, with the same answers
// either way; its version from any directory; and a reader that closes the
// pipe early (`| head`) ends the output quietly, not with a stack trace.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

  test('starts from the startup snapshot that npm run build made', async () => {
    const r = await treesnap(['--version'], { env: { TREESNAP_DEBUG: '1' } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /started from the startup snapshot/);
  });

  test('without the snapshot (TREESNAP_NO_SNAPSHOT, or any NODE_OPTIONS) it starts as a plain script', async () => {
    const envs: Record<string, string>[] = [{ TREESNAP_NO_SNAPSHOT: '1' }, { NODE_OPTIONS: '--max-old-space-size=512' }];
    for (const env of envs) {
      const r = await treesnap(['--version'], { env: { ...env, TREESNAP_DEBUG: '1' } });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /started without a startup snapshot/, JSON.stringify(env));
    }
  });

  test('with another node binary first on PATH it starts as a plain script, with the same answers', async () => {
    // A copy of this node: the same V8, but not the binary (size and mtime) the snapshot was built by.
    const bin = mkdtempSync(join(dir, 'other-node-'));
    copyFileSync(process.execPath, join(bin, 'node'));
    chmodSync(join(bin, 'node'), 0o755);
    const other = { PATH: `${bin}:${process.env.PATH ?? ''}`, TREESNAP_DEBUG: '1' };
    const r = await treesnap(['--version'], { env: other });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /started without a startup snapshot/);
    const args = ['show', '--json', '--db', db];
    const plain = await treesnap(args, { env: other });
    const snap = await treesnap(args);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stdout, snap.stdout);
  });

  test('the daemon and the simulator start without it (memory over start-up time)', async () => {
    for (const command of ['run', 'sim']) {
      const r = await treesnap([command, '--help'], { env: { TREESNAP_DEBUG: '1' } });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /started without a startup snapshot/, command);
    }
  });

  test('the same answers with and without the snapshot', async () => {
    for (const args of [['show', '--all'], ['show', '--json'], ['drift', '--json'], ['snapshots']]) {
      const fromSnapshot = await treesnap([...args, '--db', db]);
      const plain = await treesnap([...args, '--db', db], { env: { TREESNAP_NO_SNAPSHOT: '1' } });
      assert.equal(fromSnapshot.code, plain.code, args.join(' '));
      assert.equal(fromSnapshot.stderr, plain.stderr, args.join(' '));
      assert.equal(fromSnapshot.stdout, plain.stdout, args.join(' '));
      assert.ok(fromSnapshot.stdout.length > 100, `${args.join(' ')} printed something`);
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
