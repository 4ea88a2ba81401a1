// The frame of a read-only query command: its arguments typed from its
// options, the history opened read-only (a SQLite file, or a PostgreSQL
// history through a synchronous session: the same reads either way,
// src/store/history-reader.ts) and closed, the answer printed as JSON (--json)
// or text, and the command's exit code returned.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { defineCommand } from './define-command.js';
import { isPostgresUrl, openPostgresReader, type HistoryReader } from '../store/index.js';
import { EXIT } from './exit-codes.js';
import { clusterOfCall, openDbForRead, printJson, type GlobalArgs } from './shared-options.js';

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
  answer: (db: HistoryReader, argv: ArgumentsCamelCase<A>, now: number) => Answer;
}

function print(json: boolean, a: Answer): number {
  if (json) printJson(a.json());
  else process.stdout.write(`${a.text()}\n`);
  return a.exit ?? EXIT.OK;
}

/** The reads of the history --db names, for this call's cluster. */
export async function openForRead(db: string): Promise<HistoryReader> {
  return isPostgresUrl(db) ? openPostgresReader(db, { cluster: clusterOfCall() }) : openDbForRead(db);
}

/** Runs one query command; returns its exit code (errors are thrown, as typed errors). */
export async function runQuery<A extends GlobalArgs>(spec: QueryCommandSpec<A>, argv: ArgumentsCamelCase<A>): Promise<number> {
  spec.check?.(argv);
  const db = await openForRead(argv.db);
  try {
    return print(argv.json, spec.answer(db, argv, Date.now()));
  } finally {
    await db.close();
  }
}

export function defineQueryCommand<A extends GlobalArgs>(spec: QueryCommandSpec<A>): CommandModule<GlobalArgs, A> {
  return defineCommand({ command: spec.command, describe: spec.describe, builder: spec.builder, run: (argv) => runQuery(spec, argv), doneWhenReturned: true });
}
