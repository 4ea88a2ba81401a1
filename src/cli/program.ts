// treesnap's command line as a program over a list of commands: parses,
// dispatches to one command, and maps every error to a one-line message and a
// documented exit code (exit-codes.ts). Two entries run it: main.ts with every
// command, query-main.ts with the queries alone (its own, smaller bundle, which
// bin/treesnap starts a query from: scripts/cli-start.cjs).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs, { type CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UsageError } from '../errors.js';
import { commandLeftNothingRunning, takeCommandExit } from './define-command.js';
import { exitCodeFor } from './exit-codes.js';
import { damagedFileMessage, isCorruption } from '../store/index.js';
import { withExamples } from './examples.js';
import { dbPathOfCall, withGlobalOptions, type GlobalArgs } from './shared-options.js';
import { VERSION } from './version.js';
import { fileErrorText } from '../util/file-error.js';

/** A command as defineCommand makes it. Its own options differ from command to command, so a list of them types those as any; each command's handler is typed by its own. */
export type AnyCommand = CommandModule<GlobalArgs, any>;

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
 * The parser of `commands` (in the order `--help` lists them). Nothing here may
 * read the environment, the terminal or the clock: that happens in main() and
 * in the commands' builders, which run at parse time.
 */
function buildParser(commands: readonly AnyCommand[], wrap: (c: AnyCommand) => AnyCommand = withExamples) {
  const cli = withGlobalOptions(yargs())
    .scriptName('treesnap')
    .version(VERSION)
    .config('config', 'JSON file of options (keys as the long flags, e.g. {"zk": "...", "db": "..."})', loadConfigFile);
  for (const c of commands) cli.command(wrap(c));
  cli
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

type Parser = ReturnType<typeof buildParser>;

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

function warmUpParsing(commands: readonly AnyCommand[]): void {
  const idle = (c: AnyCommand): AnyCommand => ({ ...withExamples(c), handler: () => {} });
  for (const args of WARM_UP) buildParser(commands, idle).parse([...args, '--db', 'warm-up.db']);
}

/** The exit code, and whether the process may end as soon as its output is out. */
async function main(parser: Parser, argv: string[]): Promise<{ code: number; done: boolean }> {
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

/** How the bundle was started (scripts/cli-start.cjs sets it): with V8's code cache, or compiled; and which file (main.cjs, queries.cjs). */
function howStarted(): string {
  const cache = (globalThis as { __treesnapCodeCache?: string }).__treesnapCodeCache;
  const how = cache === 'used' ? 'with the code cache' : cache === 'rejected' ? 'compiled (the code cache was refused)' : 'compiled (no code cache)';
  return `${how} (${basename(fileURLToPath(import.meta.url))})`;
}

function runCli(parser: Parser): void {
  ignoreClosedStdout();
  if (process.env.TREESNAP_DEBUG) process.stderr.write(`treesnap: debug: started ${howStarted()}\n`);
  main(parser, hideBin(process.argv)).then(({ code, done }) => {
    process.exitCode = code;
    if (done) exitOnceWritten(code);
  });
}

/**
 * Runs the command line over `commands`, or, in the run of the bundle that
 * `npm run build` makes to write V8's code cache of it (scripts/cli-start.cjs),
 * parses the typical command lines instead, so that the cache holds their bytecode.
 */
export function startCli(commands: readonly AnyCommand[]): void {
  if (process.env.TREESNAP_BUILDING_CODE_CACHE) warmUpParsing(commands);
  else runCli(buildParser(commands));
}
