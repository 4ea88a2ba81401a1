// `drift`'s settle windows and ignore rules from a --config file, through the
// real CLI process (program.ts's config loading hands `settle` over as an object):
// a default window, one per kind, the ignore file, and bad values (exit 2).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openDatabase } from '../../src/store/open-database.js';
import { writeSnapshot } from '../../src/store/write-snapshot.js';
import { observation, type ClusterSpec } from '../support/observation.js';
import { assertOneLineError, treesnap } from '../support/treesnap-cli.js';

let dir: string;
let db: string;
const T0 = Date.parse('2026-11-25T03:00:00Z');

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'treesnap-drift-config-'));
  db = join(dir, 'history.db');
  const base: ClusterSpec = { leaves: { L1: ['h1', 'h2'], L2: ['h3'] } };
  const d = openDatabase(db);
  // h3 OFFLINE (offline_not_missing) from #2, 20 s after #1, and still at #3, 50 s after #1 (30 s old).
  writeSnapshot(d, observation({ ...base, at: T0 }));
  writeSnapshot(d, observation({ ...base, offline: ['h3'], at: T0 + 20_000 }));
  writeSnapshot(d, observation({ ...base, offline: ['h3'], at: T0 + 50_000 }));
  d.$client.close();
});
after(() => rmSync(dir, { recursive: true, force: true }));

function config(name: string, value: object): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

async function drift(cfg: object): Promise<{ code: number | null; body: { drift: unknown[]; settling: unknown[]; ignored: unknown[]; settleMs: number } }> {
  const r = await treesnap(['drift', '--config', config('c.json', cfg), '--db', db, '--json'], { timeoutMs: 60_000 });
  assert.equal(r.stderr, '');
  return { code: r.code, body: JSON.parse(r.stdout) };
}

test('settle from the config file: a duration, or per kind with a default', async () => {
  const dflt = await drift({});
  assert.deepEqual([dflt.code, dflt.body.settling.length, dflt.body.settleMs], [0, 1, 60_000], '30 s old: settling under the 60 s default');
  assert.equal((await drift({ settle: '30s' })).code, 3);
  assert.equal((await drift({ settle: { default: '10s' } })).code, 3);
  assert.equal((await drift({ settle: { default: '10s', offline_not_missing: '2m' } })).code, 0, 'the kind\'s own window wins');
  assert.equal((await drift({ settle: { offline_not_missing: '30s' } })).code, 3);
});

test('ignore from the config file', async () => {
  const rules = config('rules.json', { rules: [{ kind: 'offline_not_missing', ids: 'h3', reason: 'rebuild', owner: 'ops', until: '2999-12-31' }] });
  const r = await drift({ settle: '0s', ignore: rules });
  assert.deepEqual([r.code, r.body.drift.length, r.body.ignored.length], [0, 0, 1]);
});

test('bad settle values in the config file are one-line usage errors', async () => {
  const cases: [object, RegExp][] = [
    [{ settle: { nope: '1m' } }, /^treesnap: settle: unknown drift kind 'nope'$/],
    [{ settle: { default: 5 } }, /^treesnap: settle\.default: expected a duration string$/],
    [{ settle: { offline_not_missing: 'soon' } }, /^treesnap: settle\.offline_not_missing: expected a duration/],
    [{ settle: ['60s'] }, /^treesnap: settle: expected a duration like 60s, or an object/],
  ];
  for (const [cfg, pattern] of cases) {
    const r = await treesnap(['drift', '--config', config('bad.json', cfg), '--db', db], { timeoutMs: 60_000 });
    assertOneLineError(r, 2, pattern, JSON.stringify(cfg));
  }
});
