// The frame of a read-only query command: its arguments typed from its
// options, the database opened read-only and closed, the answer printed as
// JSON (--json) or text, and the command's exit code returned. A command
// whose answer is read through the store's async contract (`answerFrom`) is
// served on PostgreSQL too; one that has only that answer reads a SQLite file
// through the contract as well, one that also has `answer` keeps reading the
// SQLite handle (show: its lazy reads stay as fast). A command with only
// `answer` refuses a postgres:// --db.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { defineCommand } from './define-command.js';
import { closeDatabase, isPostgresUrl, openHistoryStore, sqliteHistoryStore, type Db, type HistoryStore } from '../store/index.js';
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
  /** The answer from a SQLite handle. */
  answer?: (db: Db, argv: ArgumentsCamelCase<A>, now: number) => Answer;
  /** The answer through the store's contract: the command then serves PostgreSQL too (README "Running it for a team"). */
  answerFrom?: (store: HistoryStore, argv: ArgumentsCamelCase<A>, now: number) => Promise<Answer>;
}

function print(json: boolean, a: Answer): number {
  if (json) printJson(a.json());
  else process.stdout.write(`${a.text()}\n`);
  return a.exit ?? EXIT.OK;
}

/** A SQLite file opened read-only as before, behind the contract; PostgreSQL (its driver loaded only now) for a postgres:// URL. */
async function openForRead(db: string): Promise<HistoryStore> {
  return isPostgresUrl(db) ? openHistoryStore(db, { cluster: clusterOfCall(), readonly: true }) : sqliteHistoryStore(openDbForRead(db));
}

/** Runs one query command; returns its exit code (errors are thrown, as typed errors). */
export async function runQuery<A extends GlobalArgs>(spec: QueryCommandSpec<A>, argv: ArgumentsCamelCase<A>): Promise<number> {
  spec.check?.(argv);
  if (spec.answerFrom && (!spec.answer || isPostgresUrl(argv.db))) {
    const store = await openForRead(argv.db);
    try {
      return print(argv.json, await spec.answerFrom(store, argv, Date.now()));
    } finally {
      await store.close();
    }
  }
  const db = openDbForRead(argv.db);
  try {
    return print(argv.json, spec.answer!(db, argv, Date.now()));
  } finally {
    closeDatabase(db);
  }
}

export function defineQueryCommand<A extends GlobalArgs>(spec: QueryCommandSpec<A>): CommandModule<GlobalArgs, A> {
  return defineCommand({ command: spec.command, describe: spec.describe, builder: spec.builder, run: (argv) => runQuery(spec, argv), doneWhenReturned: true });
}
