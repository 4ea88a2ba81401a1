// The frame of every command: its arguments typed from its options (the
// builder's inferred type, never a hand-written interface cast with `as
// never`), and a `run` that returns the command's exit code. main() takes that
// code once the parse ends: no handler sets process.exitCode on the side.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { EXIT } from './exit-codes.js';
import type { GlobalArgs } from './shared-options.js';

export interface CommandSpec<A> {
  command: string;
  describe: string;
  builder: (y: Argv<GlobalArgs>) => Argv<A>;
  /** Does the command's work; returns its exit code (errors are thrown, as typed errors). */
  run: (argv: ArgumentsCamelCase<A>) => number | Promise<number>;
  /** Nothing is left to do once run() returns (a query: its answer printed, its file closed), so the process may exit at once. */
  doneWhenReturned?: boolean;
}

/** The exit code of the command that ran in this parse (one command per call). */
let commandExit: number | null = null;
let commandDone = false;

export function defineCommand<A>(spec: CommandSpec<A>): CommandModule<GlobalArgs, A> {
  return {
    command: spec.command,
    describe: spec.describe,
    builder: spec.builder,
    handler: async (argv) => {
      commandExit = await spec.run(argv);
      commandDone = spec.doneWhenReturned ?? false;
    },
  };
}

/** Whether the command that ran left nothing running (doneWhenReturned); read before takeCommandExit. */
export function commandLeftNothingRunning(): boolean {
  return commandExit !== null && commandDone;
}

/** The exit code of the command that ran, and forgets it (OK when none ran: --help, --version, completion). */
export function takeCommandExit(): number {
  const code = commandExit ?? EXIT.OK;
  commandExit = null;
  commandDone = false;
  return code;
}
