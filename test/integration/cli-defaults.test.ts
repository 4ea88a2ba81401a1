// Process-level behaviour of the CLI that only a real process shows: where
// the history lives by default, and exit 1 for an internal error, with the
// stack only under TREESNAP_DEBUG=1.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openDatabase } from '../../src/store/open-database.js';
import { writeSnapshot } from '../../src/store/write-snapshot.js';
import { observation } from '../support/observation.js';
import { treesnap } from '../support/treesnap-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'treesnap-defaults-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A one-snapshot history at `path` (parents created). */
function historyAt(path: string, leaves: Record<string, string[]>): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const db = openDatabase(path);
  writeSnapshot(db, observation({ leaves, at: Date.parse('2026-11-25T03:05:00Z') }));
  db.$client.close();
}

test('with no --db and no TREESNAP_DB, the history is $XDG_STATE_HOME/treesnap/treesnap.db, else ~/.local/state/treesnap/treesnap.db', async () => {
  const xdg = join(dir, 'xdg');
  const home = join(dir, 'home');
  historyAt(join(xdg, 'treesnap', 'treesnap.db'), { LX: ['hx'] });
  historyAt(join(home, '.local', 'state', 'treesnap', 'treesnap.db'), { LH: ['hh'], LH2: ['hh2'] });
  const viaXdg = await treesnap(['show', 'latest', '--json'], { env: { XDG_STATE_HOME: xdg, HOME: home } });
  assert.equal(viaXdg.code, 0, viaXdg.stderr);
  assert.deepEqual((JSON.parse(viaXdg.stdout) as { zkTree: { value: { leaves: { id: string }[] } } }).zkTree.value.leaves.map((l) => l.id), ['LX']);
  const viaHome = await treesnap(['show', 'latest', '--json'], { env: { HOME: home, XDG_STATE_HOME: '' } });
  assert.equal(viaHome.code, 0, viaHome.stderr);
  assert.deepEqual((JSON.parse(viaHome.stdout) as { zkTree: { value: { leaves: { id: string }[] } } }).zkTree.value.leaves.map((l) => l.id), ['LH', 'LH2']);
});

test('an internal error (a stored value that is not JSON) is exit 1 and one line; TREESNAP_DEBUG=1 adds its stack', async () => {
  const path = join(dir, 'odd.db');
  historyAt(path, { L1: ['h1'] });
  const db = openDatabase(path);
  // Not damage SQLite can see: a value another program wrote, which no check of ours covers.
  db.$client.prepare("UPDATE fact_versions SET value = '{' WHERE key_id = (SELECT id FROM fact_keys WHERE source = 'zk.roles' AND kind = 'leaf')").run();
  db.$client.prepare('DELETE FROM state_checkpoints').run();
  db.$client.close();
  const plain = await treesnap(['show', 'latest', '--db', path]);
  assert.equal(plain.code, 1);
  assert.equal(plain.stdout, '');
  assert.match(plain.stderr, /^treesnap: Expected property name or '}' in JSON at position 1\n$/);
  const debug = await treesnap(['show', 'latest', '--db', path], { env: { TREESNAP_DEBUG: '1' } });
  assert.equal(debug.code, 1);
  assert.match(debug.stderr, /treesnap: Expected property name or '}' in JSON at position 1\nSyntaxError: Expected property name[^\n]*\n\s+at JSON\.parse/);
});
