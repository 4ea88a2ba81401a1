// Opens (creating when absent) the snapshot database: owner-only file mode,
// WAL, busy timeout, migrations from migrations/, and a schema-version check
// that refuses a database written by a newer treesnap.
import type Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseError, NotFoundError } from '../errors.js';
import { bindCluster, DEFAULT_CLUSTER } from './cluster-binding.js';
import { refuseDamaged } from './integrity.js';
import { openSqlite } from './sqlite-driver.js';
import type { Db } from './db.js';
import { withReads, type HistoryReader } from './history-reader.js';
import { ensureCheckpoints } from './state-checkpoints.js';
import { ensureSourceCodes } from './source-codes.js';

export type { Db } from './db.js';

export interface OpenOptions {
  readonly?: boolean;
  /** ms to wait for another writer's lock before failing. */
  busyTimeoutMs?: number;
  /** The cluster the handle reads and writes (default `default`); a writer adds it to the history if new. */
  cluster?: string;
}

// Beside the bundle in dist/ as beside this file in src/ (scripts/build.mjs).
function migrationsFolder(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations');
}

interface Journal {
  entries: { idx: number; when: number; tag: string }[];
}

function knownMigrations(): Journal['entries'] {
  const journal = JSON.parse(readFileSync(join(migrationsFolder(), 'meta', '_journal.json'), 'utf8')) as Journal;
  return journal.entries;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function createOwnerOnly(path: string): void {
  if (path === ':memory:' || existsSync(path)) return;
  // 0600 from the first byte: the history names every host of the cluster.
  closeSync(openSync(path, 'wx', 0o600));
}

/** Refuse a database whose applied migrations include one this build does not know. */
function checkSchemaVersion(client: Database.Database): void {
  const hasTable = client
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  if (!hasTable) return;
  const row = client.prepare('SELECT max(created_at) AS newest FROM __drizzle_migrations').get() as {
    newest: number | null;
  };
  const newestKnown = Math.max(0, ...knownMigrations().map((m) => m.when));
  if (row.newest !== null && row.newest > newestKnown) {
    throw new DatabaseError(
      'database schema is newer than this treesnap understands (written by a newer version); upgrade treesnap',
    );
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** An open SQLite history: the handle the store's functions take, with the query layer's reads bound to it (history-reader.ts). */
export type SqliteHistory = Db & HistoryReader;

export function openDatabase(path: string, opts: OpenOptions = {}): SqliteHistory {
  if (path !== ':memory:' && isDirectory(path)) throw new DatabaseError(`cannot open database ${path}: it is a directory; --db names the history file`);
  const cluster = opts.cluster ?? DEFAULT_CLUSTER;
  let client: Database.Database;
  try {
    if (!opts.readonly) createOwnerOnly(path);
    client = openSqlite(path, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  } catch (e) {
    throw new DatabaseError(`cannot open database ${path}: ${describe(e)}`);
  }
  try {
    client.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
    // Fails with SQLITE_NOTADB here for a file that is not a database.
    client.prepare('SELECT count(*) FROM sqlite_master').get();
    // Never write into a damaged file (integrity.ts): checked before the migrations or checkpoints could write.
    if (!opts.readonly) refuseDamaged({ $client: client, cluster }, path);
    checkSchemaVersion(client);
    if (!opts.readonly) {
      if (client.pragma('page_count', { simple: true }) === 0) client.pragma('auto_vacuum = INCREMENTAL');
      client.pragma('journal_mode = WAL');
      client.pragma('synchronous = NORMAL');
      client.pragma('foreign_keys = ON');
    }
    if (opts.readonly) {
      checkMigrated(client);
      // Queries read whole checkpoints (megabytes): SQLite's default 2 MiB page cache would re-read them on every call.
      client.pragma('cache_size = -65536');
      // No mmap: mapped pages count in the process's memory, so a query's peak RSS grew with the file
      // (show at 525,600 snapshots: 131 against 84 MiB) for no speed a single call can use (paired runs:
      // show 1.00x, show --json 0.99x, diff 1 latest 1.05x).
      client.pragma('mmap_size = 0');
      bindCluster(client, cluster, false);
      return withReads({ $client: client, cluster });
    }
    applyMigrations(client);
    ensureSourceCodes(client);
    bindCluster(client, cluster, true);
    const db = { $client: client, cluster };
    // Histories written before checkpoints existed, or just pruned, get theirs here, once.
    ensureCheckpoints(db);
    return withReads(db);
  } catch (e) {
    client.close();
    if (e instanceof DatabaseError || e instanceof NotFoundError) throw e;
    throw new DatabaseError(`database ${path}: ${describe(e)}`);
  }
}

// Synchronous and lazy: read-only commands (most CLI calls) never load drizzle.
function applyMigrations(client: Database.Database): void {
  const require = createRequire(import.meta.url);
  const { drizzle } = require('drizzle-orm/better-sqlite3') as typeof import('drizzle-orm/better-sqlite3');
  const { migrate } = require('drizzle-orm/better-sqlite3/migrator') as typeof import('drizzle-orm/better-sqlite3/migrator');
  const before = appliedMigrations(client);
  migrate(drizzle(client), { migrationsFolder: migrationsFolder() });
  // A migration that rebuilds a table (0007) frees the old one's pages: they go
  // back to the file system as after a prune (on files created with
  // auto_vacuum=INCREMENTAL; elsewhere later writes reuse them).
  if (before > 0 && appliedMigrations(client) > before) client.pragma('incremental_vacuum');
}

function appliedMigrations(client: Database.Database): number {
  const hasTable = client
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  return hasTable ? (client.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n : 0;
}

/** A read-only open cannot migrate: the schema must already be current. */
function checkMigrated(client: Database.Database): void {
  const applied = appliedMigrations(client);
  if (applied === 0) throw new DatabaseError('database has no treesnap history yet; run `treesnap collect` first');
  if (applied < knownMigrations().length) {
    throw new DatabaseError('database was written by an older treesnap; the next `treesnap collect`, `run` or `prune` upgrades it');
  }
}
