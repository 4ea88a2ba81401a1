// Runs CLI commands in process through yargs, as program.ts does, against one
// history file: the exit code the command returned (or its error's) and what
// it printed on stdout. For unit tests of the commands' output.
import yargs, { type CommandModule } from 'yargs';
import { takeCommandExit } from '../../src/cli/define-command.js';
import { exitCodeFor } from '../../src/cli/exit-codes.js';
import { withGlobalOptions } from '../../src/cli/shared-options.js';
import { UsageError } from '../../src/errors.js';

/** `commands`: the command modules to register (each typed by its own options, so taken as objects). */
export async function runCommands(commands: readonly object[], db: string, args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  try {
    let parser = withGlobalOptions(yargs(['--db', db, ...args]));
    for (const c of commands) parser = parser.command(c as CommandModule);
    await parser
      .strict()
      .fail((msg, e) => {
        throw e ?? new UsageError(msg);
      })
      .parseAsync();
    return { code: takeCommandExit(), out: out.join('') };
  } catch (e) {
    takeCommandExit();
    return { code: exitCodeFor(e), out: out.join('') };
  } finally {
    process.stdout.write = write;
  }
}
