// The simulator's console: every command in its registry is listed by `help`
// with its arguments; a blank line says nothing; an unknown command is one
// error line (no cluster is touched for either).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONSOLE_COMMANDS, consoleHelp, runConsoleLine } from '../../../src/sim/sim-console.js';
import type { SimulatedCluster } from '../../../src/sim/cluster.js';

const noCluster = null as unknown as SimulatedCluster;

test('help lists every command of the registry, with its arguments', async () => {
  const help = await runConsoleLine(noCluster, 'help');
  assert.equal(help, consoleHelp());
  for (const [name, c] of Object.entries(CONSOLE_COMMANDS)) {
    assert.match(help!, new RegExp(`^  ${name}${c.args ? ` ${c.args}` : ''} +${c.help.replace(/[()]/g, '\\$&')}$`, 'm'), name);
  }
});

test('a blank line says nothing; an unknown command is one error line', async () => {
  assert.equal(await runConsoleLine(noCluster, '   '), null);
  assert.equal(await runConsoleLine(noCluster, 'explode now'), "error: unknown command 'explode' (help lists them)");
});
