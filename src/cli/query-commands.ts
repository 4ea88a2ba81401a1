// The questions asked of a history's snapshots, in the order `--help` lists
// them (all-commands.ts places them among the others). bin/treesnap starts
// these from a bundle of their own (queries.cjs, built from query-main.ts),
// which holds none of the collector, daemon, simulator or upkeep code: V8 then
// reads and deserializes about half the code a call starts with
// (docs/performance-log.md, "Queries", 2026-12-07 afternoon).
// scripts/cli-start.cjs routes by these names; test/unit/cli/query-commands.test.ts
// keeps the two alike.
import { diffCommand } from './commands/diff.js';
import { driftCommand } from './commands/drift.js';
import { historyCommand } from './commands/history.js';
import { missingCommand } from './commands/missing.js';
import { reportCommand } from './commands/report.js';
import { showCommand } from './commands/show.js';
import { snapshotsCommand } from './commands/snapshots.js';
import { timelineCommand } from './commands/timeline.js';
import type { AnyCommand } from './program.js';

export const QUERY_COMMANDS: readonly AnyCommand[] = [
  snapshotsCommand,
  diffCommand,
  driftCommand,
  historyCommand,
  missingCommand,
  timelineCommand,
  reportCommand,
  showCommand,
];
