import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { testFiles } from '../../../scripts/test-files.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

function tree(files: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'run-tests-'));
  for (const f of files) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), '');
  }
  return root;
}

test('a suite lists its .test.ts files, nested ones included, in name order', () => {
  const root = tree(['test/unit/b.test.ts', 'test/unit/a/c.test.ts', 'test/unit/helper.ts', 'test/faults/f.test.ts']);
  try {
    assert.deepEqual(testFiles(['unit'], root).map((f) => f.slice(root.length + 1)), ['test/unit/a/c.test.ts', 'test/unit/b.test.ts']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a suite whose folder is missing is an error, even beside one that exists', () => {
  const root = tree(['test/unit/a.test.ts']);
  try {
    assert.throws(() => testFiles(['unit', 'integration'], root), { message: 'no test folder test/integration for suite "integration"' });
    assert.throws(() => testFiles([], root), /no test folder test\/integration/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('run-tests exits 1 with one line naming a missing suite folder, running nothing', () => {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/run-tests.ts', 'unit', 'no-such-suite'], { cwd: repo, encoding: 'utf8' });
  assert.equal(res.status, 1);
  assert.equal(res.stderr, 'run-tests: no test folder test/no-such-suite for suite "no-such-suite"\n');
  assert.equal(res.stdout, '');
});
