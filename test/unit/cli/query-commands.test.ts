// The queries' bundle (src/cli/query-main.ts) and the launcher that picks it
// (scripts/cli-start.cjs) agree with the full command line: every query is
// main.ts's very command, in the same order, and the launcher names exactly them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ALL_COMMANDS } from '../../../src/cli/all-commands.js';
import type { AnyCommand } from '../../../src/cli/program.js';
import { QUERY_COMMANDS } from '../../../src/cli/query-commands.js';

const nameOf = (c: AnyCommand): string => String(c.command).split(' ')[0]!;

/** The command names scripts/cli-start.cjs routes to queries.cjs, read from its text (running it would start the CLI). */
function launcherQueries(): string[] {
  const text = readFileSync('scripts/cli-start.cjs', 'utf8');
  const list = /const QUERIES = new Set\(\[([^\]]*)\]\)/.exec(text);
  assert.ok(list, 'scripts/cli-start.cjs declares QUERIES');
  return [...list[1]!.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
}

test('each query is the full command line\'s own command, in the same order', () => {
  const positions = QUERY_COMMANDS.map((q) => ALL_COMMANDS.indexOf(q));
  assert.ok(!positions.includes(-1), `not in ALL_COMMANDS: ${QUERY_COMMANDS.filter((_, i) => positions[i] === -1).map(nameOf)}`);
  assert.deepEqual(positions, [...positions].sort((a, b) => a - b), '--help order');
});

test('the launcher starts exactly the query commands from queries.cjs', () => {
  assert.deepEqual(launcherQueries().sort(), QUERY_COMMANDS.map(nameOf).sort());
});

test('the queries are the questions asked of a history; collecting, upkeep, the daemon and the list of clusters are not among them', () => {
  const names = new Set(QUERY_COMMANDS.map(nameOf));
  for (const c of ['collect', 'run', 'prune', 'sim', 'verify', 'backup', 'doctor', 'import', 'clusters']) assert.ok(!names.has(c), c);
  for (const c of ['show', 'diff', 'drift', 'history', 'missing', 'timeline', 'snapshots']) assert.ok(names.has(c), c);
});
