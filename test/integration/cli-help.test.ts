// Help that teaches: every command's --help shows its two or three examples
// (src/cli/examples.ts), whose flags are all options of that command, and
// `treesnap completion` gives a shell completion that knows the commands.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXAMPLES } from '../../src/cli/examples.js';
import { treesnap } from '../support/treesnap-cli.js';

const COMMANDS = ['collect', 'run', 'prune', 'snapshots', 'diff', 'drift', 'history', 'missing', 'timeline', 'report', 'show', 'sim', 'verify', 'backup', 'doctor', 'clusters', 'import'];

test('every command has two or three examples, shown by its --help, using only its own options', async () => {
  assert.deepEqual(Object.keys(EXAMPLES).sort(), [...COMMANDS].sort());
  for (const name of COMMANDS) {
    const examples = EXAMPLES[name]!;
    assert.ok(examples.length >= 2 && examples.length <= 3, `${name}: ${examples.length} examples`);
    const r = await treesnap([name, '--help']);
    assert.equal(r.code, 0, r.stderr);
    const [options, shown] = r.stdout.split('\nExamples:\n');
    assert.ok(shown, `${name} --help has an Examples section:\n${r.stdout}`);
    const flat = shown.replace(/\s+/g, ' ');
    for (const [example] of examples) {
      const words = example.replace('$0', 'treesnap').split(' ');
      assert.ok(words[1] === name, `${example} runs ${name}`);
      assert.ok(flat.includes(words.slice(0, 3).join(' ')), `${name} --help shows ${example}`);
      for (const flag of words.filter((w) => w.startsWith('-'))) {
        const long = flag === '-o' ? '--output' : flag;
        assert.match(options!, new RegExp(`(^|\\s)${long}(\\s|,)`, 'm'), `${name}: ${flag} of "${example}" is one of its options`);
      }
    }
  }
});

test('treesnap completion prints a completion script; completing lists the commands and their options', async () => {
  const script = await treesnap(['completion']);
  assert.equal(script.code, 0, script.stderr);
  assert.match(script.stdout, /treesnap --get-yargs-completions/);
  const commands = await treesnap(['--get-yargs-completions', '']);
  for (const name of COMMANDS) assert.ok(commands.stdout.split('\n').includes(name), `${name} completes:\n${commands.stdout}`);
  const options = await treesnap(['--get-yargs-completions', 'snapshots', '--']);
  assert.ok(options.stdout.split('\n').includes('--since'), `snapshots --since completes:\n${options.stdout}`);
});
