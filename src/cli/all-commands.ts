// Every command of treesnap's command line, in the order `--help` lists them
// (main.ts starts the program with these). The queries among them are also
// query-commands.ts's list, which starts from a bundle of its own.
import { backupCommand } from './commands/backup.js';
import { clustersCommand } from './commands/clusters.js';
import { collectCommand } from './commands/collect.js';
import { diffCommand } from './commands/diff.js';
import { doctorCommand } from './commands/doctor.js';
import { driftCommand } from './commands/drift.js';
import { historyCommand } from './commands/history.js';
import { importCommand } from './commands/import.js';
import { missingCommand } from './commands/missing.js';
import { pruneCommand } from './commands/prune.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { showCommand } from './commands/show.js';
import { simCommand } from './commands/sim.js';
import { snapshotsCommand } from './commands/snapshots.js';
import { timelineCommand } from './commands/timeline.js';
import { verifyCommand } from './commands/verify.js';
import type { AnyCommand } from './program.js';

export const ALL_COMMANDS: readonly AnyCommand[] = [
  collectCommand,
  runCommand,
  pruneCommand,
  snapshotsCommand,
  diffCommand,
  driftCommand,
  historyCommand,
  missingCommand,
  timelineCommand,
  reportCommand,
  showCommand,
  simCommand,
  verifyCommand,
  backupCommand,
  doctorCommand,
  clustersCommand,
  importCommand,
];
