// Options every command shares, and the small helpers handlers use to turn
// them into typed values. Validation failures are UsageErrors (exit 2).
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Argv } from 'yargs';
import { defaultDbPath } from '../config/default-db-path.js';
import { envDefault } from '../config/env-default.js';
import { DatabaseError, UsageError } from '../errors.js';
import { parseSnapshotRef, type SnapshotRef } from '../util/snapshot-ref.js';
import { parseDuration, parseTime } from '../util/time.js';
import { DEFAULT_CLUSTER, isPostgresUrl, openDatabase, serverName, type SqliteHistory } from '../store/index.js';
import { fileErrorWhy } from '../util/file-error.js';
import { writeJson } from '../util/json-pieces.js';

export interface GlobalArgs {
  db: string;
  json: boolean;
  cluster: string;
}

/**
 * The options every command takes. The parser is built when the CLI starts (program.ts),
 * before it may read the call's environment (the build's warm-up parses run
 * it too), so --db's default is found when a command line is parsed, by a middleware.
 */
export function withGlobalOptions<T>(y: Argv<T>): Argv<T & GlobalArgs> {
  const withOptions = y
    .option('db', {
      type: 'string',
      describe: 'SQLite history file (env TREESNAP_DB)',
      defaultDescription: '$TREESNAP_DB or $XDG_STATE_HOME/treesnap/treesnap.db',
    })
    .option('json', { type: 'boolean', default: false, describe: 'machine-readable output (schemas in docs/json.md)' })
    .option('cluster', {
      type: 'string',
      describe: 'which cluster of the history to record or query (env TREESNAP_CLUSTER; `treesnap clusters` lists them)',
      defaultDescription: '$TREESNAP_CLUSTER or default',
    })
    .middleware((argv: { db?: string; cluster?: string; _: (string | number)[] }) => {
      argv.db ??= envDefault('DB') ?? defaultDbPath();
      argv.cluster ??= envDefault('CLUSTER') ?? DEFAULT_CLUSTER;
      clusterOfThisCall = clusterArg(argv.cluster);
      dbOfThisCall = argv.db;
      commandOfThisCall = argv._[0] === undefined ? undefined : String(argv._[0]);
    }, true);
  // The middleware above fills --db on every parse, before any handler runs.
  return withOptions as Argv<T & GlobalArgs>;
}

let dbOfThisCall: string | undefined;
let clusterOfThisCall = DEFAULT_CLUSTER;

/** A cluster name: printable, no spaces, at most 64 characters (it is shown in every listing). */
function clusterArg(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
    throw new UsageError(`--cluster ${JSON.stringify(name)}: a cluster name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit`);
  }
  return name;
}

/** The cluster this call records or queries (--cluster, $TREESNAP_CLUSTER, or `default`). */
export function clusterOfCall(): string {
  return clusterOfThisCall;
}
let commandOfThisCall: string | undefined;

/** The history file this call names (for error messages about it); undefined before parsing. */
export function dbPathOfCall(): string | undefined {
  return dbOfThisCall;
}

/**
 * --db as a SQLite history file. A postgres:// URL is refused (exit 2): the
 * PostgreSQL store exists (src/store/postgres/) but no command is served by it
 * yet (README "Running it for a team"). Called before anything reads --db.
 */
export function sqliteHistoryPath(db: string): string {
  if (isPostgresUrl(db)) {
    const command = commandOfThisCall ? `\`treesnap ${commandOfThisCall}\`` : 'this command';
    throw new UsageError(`--db ${serverName(db)}: the PostgreSQL store is not yet served by ${command}; give a SQLite history file (README "Running it for a team")`);
  }
  return db;
}

export function openDbForWrite(path: string): SqliteHistory {
  sqliteHistoryPath(path);
  if (path !== ':memory:') ensureDirectory(dirname(path));
  return openDatabase(path, { cluster: clusterOfThisCall });
}

/**
 * Creates the database's directory (owner-only) and any missing parents, one
 * level at a time: Node 20's recursive mkdirSync never returns for a path
 * under /proc, and its errors are not database errors.
 */
function ensureDirectory(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) ensureDirectory(parent);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    throw new DatabaseError(`cannot create the database directory ${dir}: ${fileErrorWhy('create', e)}`);
  }
}

export function openDbForRead(path: string): SqliteHistory {
  return openDatabase(sqliteHistoryPath(path), { readonly: true, cluster: clusterOfThisCall });
}

export function snapshotRefArg(text: string, now: number, what = 'snapshot'): SnapshotRef {
  const r = parseSnapshotRef(String(text), now);
  if (!r.ok) throw new UsageError(`${what}: ${r.error}`);
  return r.value;
}

export function timeArg(text: string | undefined, now: number, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const r = parseTime(String(text), now);
  if (!r.ok) throw new UsageError(`--${flag}: ${r.error}`);
  return r.value;
}

export function durationArg(text: string, flag: string): number {
  const r = parseDuration(String(text));
  if (!r.ok) throw new UsageError(`--${flag}: ${r.error}`);
  return r.value;
}

export function windowArgs(since: string | undefined, until: string | undefined, now: number): { since?: number; until?: number } {
  const s = timeArg(since, now, 'since');
  const u = timeArg(until, now, 'until');
  if (s !== undefined && u !== undefined && s > u) throw new UsageError('--since is after --until');
  return { since: s, until: u };
}

/** JSON.stringify(value, null, 2) and a newline on stdout; in pieces when too long for one string (json-pieces.ts). */
export function printJson(value: unknown): void {
  writeJson(value, (text) => process.stdout.write(text));
}

/** What a terminal shows of a long answer when no --limit is given (JSON gets everything). */
export const TEXT_PAGE = 100;

/** --limit N: a whole number >= 0 (0: all); undefined when not given. */
export function limitArg(value: number | undefined): number | undefined {
  if (value === undefined || (Number.isInteger(value) && value >= 0)) return value;
  // yargs gives NaN for a text that is no number: that text is gone, and "got NaN" says nothing.
  throw new UsageError(`--limit must be a whole number >= 0 (0: all)${Number.isNaN(value) ? '' : `, got ${value}`}`);
}
