// Quiet set-up (scripts/setup.mjs), as npm test and npm run demo use it: one
// line per step with its time; a step's output only in the log, whose path is
// printed when, and only when, a step fails.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';

const dir = mkdtempSync(join(tmpdir(), 'treesnap-setup-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs steps (each a shell command) through quietSteps in a node process of its own, as bootstrap.mjs does. */
function runSteps(log: string, steps: [label: string, script: string][]) {
  const code = `import(${JSON.stringify(resolve('scripts/setup.mjs'))}).then(({ quietSteps }) => {
    const s = quietSteps(${JSON.stringify(log)});
    for (const [label, script] of ${JSON.stringify(steps)}) s.run(label, 'sh', ['-c', script]);
  });`;
  return spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
}

test('steps that succeed: one line each with its time, their output only in the log', () => {
  const log = join(dir, 'ok.log');
  const r = runSteps(log, [['first: says a lot', 'seq 1 200; echo to-stderr >&2'], ['second', 'true']]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 2, r.stderr);
  assert.match(lines[0]!, /^first: says a lot\.\.\. \d+(\.\d)? s$/);
  assert.match(lines[1]!, /^second\.\.\. \d+(\.\d)? s$/);
  assert.doesNotMatch(r.stderr, /ok\.log/, 'the log is not named when all went well');
  const text = readFileSync(log, 'utf8');
  assert.match(text, /\n200\n/);
  assert.match(text, /to-stderr/);
});

test('a step that fails: exit 1, says which and names the log holding its output; later steps do not run', () => {
  const log = join(dir, 'fail.log');
  const r = runSteps(log, [['zookeeper: installing', 'echo E: unable to locate package; exit 100'], ['never', 'touch never']]);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `zookeeper: installing... failed after ${/after (\S+ s)/.exec(r.stderr)?.[1]}\nzookeeper: installing: exit 100; full output in ${log}\n`);
  assert.match(readFileSync(log, 'utf8'), /E: unable to locate package/);
  assert.doesNotMatch(readFileSync(log, 'utf8'), /touch never/);
});
