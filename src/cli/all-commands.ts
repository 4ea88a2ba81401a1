// Every command of treesnap's command line, in the order `--help` lists them
// (main.ts starts the program with these): the queries (query-commands.ts,
// which also start from a bundle of their own) among the others.
import { backupCommand } from './commands/backup.js';
import { clustersCommand } from './commands/clusters.js';
import { collectCommand } from './commands/collect.js';
import { doctorCommand } from './commands/doctor.js';
import { importCommand } from './commands/import.js';
import { pruneCommand } from './commands/prune.js';
import { runCommand } from './commands/run.js';
import { simCommand } from './commands/sim.js';
import { verifyCommand } from './commands/verify.js';
import type { AnyCommand } from './program.js';
import { QUERY_COMMANDS } from './query-commands.js';

export const ALL_COMMANDS: readonly AnyCommand[] = [
  collectCommand,
  runCommand,
  pruneCommand,
  ...QUERY_COMMANDS,
  simCommand,
  verifyCommand,
  backupCommand,
  doctorCommand,
  clustersCommand,
  importCommand,
];
