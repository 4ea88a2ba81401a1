// A newcomer's install, for real: a fresh git clone of this checkout, the
// README's install steps in it (npm ci, npm link, npm run build; node modules from npm's
// cache, Debian packages as this machine has them), then the project packed
// (`npm pack`, whose prepack builds dist/) and the tarball installed like a
// Node command-line tool into a temporary prefix, where `treesnap` answers
// --version and a query on a small history the same as the checkout's command.
// Slow (two npm installs, one of them compiling better-sqlite3): one file, two
// steps sharing one clone.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../src/store/open-database.js';
import { randomHistory, writeHistory } from '../support/random-history.js';
import { treesnap } from '../support/treesnap-cli.js';

/** The environment without npm's own variables (set when this runs under `npm test`) nor TREESNAP_*. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|TREESNAP_)/i.test(k)));
}

function must(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, env: cleanEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} (in ${cwd}) failed: ${r.error?.message ?? ''}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe('install', () => {
  let dir: string;
  let clone: string;
  let db: string;
  const version = JSON.parse(readFileSync('package.json', 'utf8')).version as string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'treesnap-install-'));
    clone = join(dir, 'clone');
    db = join(dir, 'history.db');
    const h = openDatabase(db);
    writeHistory(h, randomHistory(7, 20, 10));
    h.$client.close();
    must('git', ['clone', '-q', process.cwd(), clone], dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("the README's install steps work in a fresh clone", async () => {
    assert.ok(!existsSync(join(clone, 'node_modules')) && !existsSync(join(clone, 'dist')), 'the clone starts bare');
    must('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], clone);
    // npm link before any build: the linked command builds the checkout on its first call.
    const linkPrefix = join(dir, 'link-prefix');
    const linked = spawnSync('npm', ['link', '--no-audit', '--no-fund'], { cwd: clone, env: { ...cleanEnv(), npm_config_prefix: linkPrefix }, encoding: 'utf8' });
    assert.equal(linked.status, 0, linked.stderr);
    assert.equal(must(join(linkPrefix, 'bin', 'treesnap'), ['--version'], dir).trim(), version);
    assert.ok(existsSync(join(clone, 'dist', 'cli', 'main.cjs')), 'the first call built dist/');
    must('npm', ['run', '--silent', 'build'], clone);
    assert.equal(must(join(clone, 'bin', 'treesnap'), ['--version'], dir).trim(), version);
  });

  test('the packed tarball installs into a prefix and its treesnap answers', async () => {
    rmSync(join(clone, 'dist'), { recursive: true, force: true });
    const tarball = must('npm', ['pack', '--silent', '--pack-destination', dir], clone).trim().split('\n').pop()!;
    const listing = must('tar', ['tzf', join(dir, tarball)], dir);
    for (const f of ['package/bin/treesnap', 'package/dist/cli/main.cjs', 'package/dist/cli/queries.cjs', 'package/dist/store/pg-sync-worker.js', 'package/migrations/0000_initial.sql']) {
      assert.ok(listing.split('\n').includes(f), `${f} in the tarball:\n${listing}`);
    }
    assert.ok(!listing.includes('package/src/'), 'no sources in the tarball');

    const prefix = join(dir, 'prefix');
    must('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(dir, tarball)], dir);
    const installed = join(prefix, 'bin', 'treesnap');
    assert.equal(must(installed, ['--version'], dir).trim(), version);
    const query = ['snapshots', '--db', db, '--json'];
    const fromPrefix = must(installed, query, dir);
    const fromCheckout = await treesnap(query);
    assert.equal(fromCheckout.code, 0, fromCheckout.stderr);
    assert.match(fromPrefix, /"id"/, 'snapshots listed');
    assert.equal(fromPrefix, fromCheckout.stdout);
  });
});
