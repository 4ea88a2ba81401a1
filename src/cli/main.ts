// treesnap's command line: parses, dispatches to one command, and maps every
// error to a one-line message and a documented exit code (exit-codes.ts).
import { readFileSync } from 'node:fs';
import yargs, { type CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UsageError } from '../errors.js';
import { clustersCommand } from './commands/clusters.js';
import { collectCommand } from './commands/collect.js';
import { importCommand } from './commands/import.js';
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
import { doctorCommand } from './commands/doctor.js';
import { commandLeftNothingRunning, takeCommandExit } from './define-command.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { damagedFileMessage, isCorruption } from '../store/index.js';
import { backupCommand } from './commands/backup.js';
import { verifyCommand } from './commands/verify.js';
import { withExamples } from './examples.js';
import { dbPathOfCall, withGlobalOptions } from './shared-options.js';
import { VERSION } from './version.js';
import { fileErrorText } from '../util/file-error.js';

function loadConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--config: ${fileErrorText('read', path, e)}`);
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

/**
 * The parser, built once when this module loads. Nothing here may read the
 * environment, the terminal or the clock: that happens in main() and in the
 * commands' builders, which run at parse time.
 */
function buildParser(command: <T, U>(c: CommandModule<T, U>) => CommandModule<T, U> = withExamples) {
  const cli = withGlobalOptions(yargs())
    .scriptName('treesnap')
    .version(VERSION)
    .config('config', 'JSON file of options (keys as the long flags, e.g. {"zk": "...", "db": "..."})', loadConfigFile)
    .command(command(collectCommand))
    .command(command(runCommand))
    .command(command(pruneCommand))
    .command(command(snapshotsCommand))
    .command(command(diffCommand))
    .command(command(driftCommand))
    .command(command(historyCommand))
    .command(command(missingCommand))
    .command(command(timelineCommand))
    .command(command(reportCommand))
    .command(command(showCommand))
    .command(command(simCommand))
    .command(command(verifyCommand))
    .command(command(backupCommand))
    .command(command(doctorCommand))
    .command(command(clustersCommand))
    .command(command(importCommand))
    .completion('completion', 'print a bash/zsh completion script: treesnap completion >> ~/.bashrc')
    .demandCommand(1, 'name a command (see --help)')
    .strict()
    .recommendCommands()
    .epilog('Exit codes: 0 ok, 1 internal error, 2 usage, 3 drift found, 4 collection partial, 5 nothing readable, 6 database, 7 not found, 8 import target not empty')
    .fail((msg, error) => {
      // yargs reports its own parse/validation failures (and config-file errors) as YError.
      if (!error || error.name === 'YError') throw new UsageError(msg ?? error?.message ?? 'invalid arguments');
      throw error;
    });
  skipHelpCache(cli);
  return cli;
}

const parser = buildParser();

/**
 * Command lines parsed while the build writes the code cache, by a throwaway
 * parser whose handlers do nothing: V8 then compiles yargs' parsing and
 * validation, and the commands' builders, once at build time, and the cache
 * keeps the bytecode, which every call otherwise compiled again. Only that run
 * parses them: no call sees state left by these parses.
 */
const WARM_UP = [
  ['show', '--at', '2026-01-01T00:00:00Z'],
  ['show', '--json'],
  ['diff', '1', 'latest', '--json'],
  ['drift', '5', '--json'],
  ['drift', '--since', '2026-01-01T00:00:00Z', '--until', '2026-01-02T00:00:00Z', '--json'],
  ['missing', '--host', 'h', '--json'],
  ['history', 'h', '--since', '2026-01-01T00:00:00Z', '--json'],
  ['timeline', '--since', '2026-01-01T00:00:00Z'],
  ['snapshots', '--json'],
];

function warmUpParsing(): void {
  const idle = <T, U>(c: CommandModule<T, U>): CommandModule<T, U> => ({ ...withExamples(c), handler: () => {} });
  for (const args of WARM_UP) buildParser(idle).parse([...args, '--db', 'warm-up.db']);
}

/** The exit code, and whether the process may end as soon as its output is out. */
async function main(argv: string[]): Promise<{ code: number; done: boolean }> {
  parser.wrap(Math.min(110, process.stdout.columns || 100));
  try {
    await parser.parseAsync(argv);
    const done = commandLeftNothingRunning();
    return { code: takeCommandExit(), done };
  } catch (e) {
    const message = isCorruption(e)
      ? damagedFileMessage(dbPathOfCall() ?? 'the history file', (e as Error).message, 'this answer is incomplete')
      : e instanceof Error
        ? e.message
        : String(e);
    // One line, whole: yargs puts the useful part of some messages on later lines ("Invalid values:\n  Argument: ...").
    process.stderr.write(`treesnap: ${oneLine(message)}\n`);
    if (process.env.TREESNAP_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return { code: exitCodeFor(e), done: false };
  }
}

/**
 * yargs renders the whole help text after each command's handler, to keep it
 * for a later showHelp() (yargs/build/lib/command.js). treesnap never shows
 * help once a command ran (its errors are one line), and that rendering costs
 * ~13 ms of a CLI call. Left alone if yargs' internals ever change shape.
 */
function skipHelpCache(cli: object): void {
  const internals = (cli as unknown as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } })
    .getInternalMethods?.();
  const usage = internals?.getUsageInstance?.();
  if (typeof usage?.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}

/**
 * A reader that stops early (`treesnap timeline ... | head`) closes the pipe:
 * the rest of the output is dropped quietly, and the command still ends with
 * its own exit status (`drift | head` still exits 3 on drift).
 */
function ignoreClosedStdout(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
  });
}

/**
 * Ends the process once stdout and stderr have taken everything written (their
 * write callbacks come in order; with a closed pipe they come with an error),
 * instead of Node's full teardown of the environment and heap after the event
 * loop drains: ~100 fewer page faults and a few ms of CPU per query.
 */
function exitOnceWritten(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

/** How the bundle was started (scripts/cli-start.cjs sets it): with V8's code cache, or compiled. */
function howStarted(): string {
  const cache = (globalThis as { __treesnapCodeCache?: string }).__treesnapCodeCache;
  return cache === 'used' ? 'with the code cache' : cache === 'rejected' ? 'compiled (the code cache was refused)' : 'compiled (no code cache)';
}

function runCli(): void {
  ignoreClosedStdout();
  if (process.env.TREESNAP_DEBUG) process.stderr.write(`treesnap: debug: started ${howStarted()}\n`);
  main(hideBin(process.argv)).then(({ code, done }) => {
    process.exitCode = code;
    if (done) exitOnceWritten(code);
  });
}

// `npm run build` runs the bundle once to write V8's code cache of it
// (scripts/cli-start.cjs): that run parses the typical command lines instead of
// running one, so that the cache holds their bytecode.
if (process.env.TREESNAP_BUILDING_CODE_CACHE === '1') warmUpParsing();
else runCli();
