// The frame of a read-only query command: its arguments typed from its
// options, the database opened read-only and closed, the answer printed as
// JSON (--json) or text, and the command's exit code returned.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { defineCommand } from './define-command.js';
import { closeDatabase, type Db } from '../store/index.js';
import { EXIT } from './exit-codes.js';
import { openDbForRead, printJson, type GlobalArgs } from './shared-options.js';

/** What a query found, as JSON or as text (only the one printed is made); `exit` when it is not 0 (drift found: 3). */
export interface Answer {
  json: () => unknown;
  text: () => string;
  exit?: number;
}

export interface QueryCommandSpec<A> {
  command: string;
  describe: string;
  builder: (y: Argv<GlobalArgs>) => Argv<A>;
  /** Argument checks that need no database (a usage error comes before a missing file). */
  check?: (argv: ArgumentsCamelCase<A>) => void;
  answer: (db: Db, argv: ArgumentsCamelCase<A>, now: number) => Answer;
}

/** Runs one query command; returns its exit code (errors are thrown, as typed errors). */
export function runQuery<A extends GlobalArgs>(spec: QueryCommandSpec<A>, argv: ArgumentsCamelCase<A>): number {
  spec.check?.(argv);
  const db = openDbForRead(argv.db);
  try {
    const a = spec.answer(db, argv, Date.now());
    if (argv.json) printJson(a.json());
    else process.stdout.write(`${a.text()}\n`);
    return a.exit ?? EXIT.OK;
  } finally {
    closeDatabase(db);
  }
}

export function defineQueryCommand<A extends GlobalArgs>(spec: QueryCommandSpec<A>): CommandModule<GlobalArgs, A> {
  return defineCommand({ command: spec.command, describe: spec.describe, builder: spec.builder, run: (argv) => runQuery(spec, argv) });
}
