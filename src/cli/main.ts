// treesnap's command line: parses, dispatches to one command, and maps every
// error to a one-line message and a documented exit code (exit-codes.ts).
import { readFileSync } from 'node:fs';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UsageError } from '../errors.js';
import { collectCommand } from './commands/collect.js';
import { pruneCommand } from './commands/prune.js';
import { runCommand } from './commands/run.js';
import { showCommand } from './commands/show.js';
import { simCommand } from './commands/sim.js';
import { snapshotsCommand } from './commands/snapshots.js';
import { diffCommand } from './commands/diff.js';
import { driftCommand } from './commands/drift.js';
import { historyCommand } from './commands/history.js';
import { missingCommand } from './commands/missing.js';
import { timelineCommand } from './commands/timeline.js';
import { reportCommand } from './commands/report.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { withGlobalOptions } from './shared-options.js';

function loadConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--config ${path}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(`--config ${path}: not valid JSON (${(e as Error).message})`);
  }
}

function oneLine(message: string): string {
  return message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');
}

export async function main(argv: string[]): Promise<number> {
  const cli = withGlobalOptions(yargs(argv))
    .scriptName('treesnap')
    .config('config', 'JSON file of options (keys as the long flags, e.g. {"zk": "...", "db": "..."})', loadConfigFile)
    .command(collectCommand)
    .command(runCommand)
    .command(pruneCommand)
    .command(snapshotsCommand)
    .command(diffCommand)
    .command(driftCommand)
    .command(historyCommand)
    .command(missingCommand)
    .command(timelineCommand)
    .command(reportCommand)
    .command(showCommand)
    .command(simCommand)
    .demandCommand(1, 'name a command (see --help)')
    .strict()
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .epilog('Exit codes: 0 ok, 1 internal error, 2 usage, 3 drift found, 4 collection partial, 5 nothing readable, 6 database, 7 not found')
    .fail((msg, error) => {
      // yargs reports its own parse/validation failures (and config-file errors) as YError.
      if (!error || error.name === 'YError') throw new UsageError(msg ?? error?.message ?? 'invalid arguments');
      throw error;
    });
  try {
    await cli.parseAsync();
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // One line, whole: yargs puts the useful part of some messages on later lines ("Invalid values:\n  Argument: ...").
    process.stderr.write(`treesnap: ${oneLine(message)}\n`);
    if (process.env.TREESNAP_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return exitCodeFor(e);
  }
}

main(hideBin(process.argv)).then((code) => {
  process.exitCode = code;
});
