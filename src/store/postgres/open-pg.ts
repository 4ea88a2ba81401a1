// Opens a PostgreSQL history: the pool (connect.ts), then its schema brought up
// to date from migrations-pg/ (drizzle-kit, drizzle-pg.config.ts) under an
// advisory lock, so collectors starting together migrate once. Refuses a
// history migrated by a newer treesnap, as the SQLite store does.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PoolClient } from 'pg';
import { DatabaseError, NotFoundError } from '../../errors.js';
import { DEFAULT_CLUSTER } from '../cluster-binding.js';
import { openPool, pgErrorWhy, type PgOpenOptions } from './connect.js';
import type { PgDb } from './pg-db.js';
import { serverName } from './url.js';

// Holds the migrations (and the schema check) of concurrent openers apart ("mig" in ASCII).
const MIGRATE_LOCK = 0x6d6967;

/** migrations-pg/ at the package root: found upward from here, so it holds from src/ and from a bundle alike. */
function migrationsFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'migrations-pg', 'meta', '_journal.json'))) return join(dir, 'migrations-pg');
    dir = dirname(dir);
  }
  throw new DatabaseError('the PostgreSQL migrations (migrations-pg/) are missing from this installation');
}

function newestKnownMigration(folder: string): number {
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
  return Math.max(0, ...journal.entries.map((e) => e.when));
}

async function refuseNewerSchema(client: PoolClient, folder: string): Promise<void> {
  const exists = await client.query("SELECT to_regclass('public.__drizzle_migrations') IS NOT NULL AS yes");
  if (!exists.rows[0]?.yes) return;
  const { rows } = await client.query<{ newest: number | null }>('SELECT max(created_at) AS newest FROM public.__drizzle_migrations');
  const newest = rows[0]?.newest ?? null;
  if (newest !== null && Number(newest) > newestKnownMigration(folder)) {
    throw new DatabaseError('database schema is newer than this treesnap understands (written by a newer version); upgrade treesnap');
  }
}

// The statement timeout is for queries; waiting for another opener's migration,
// or running a long one, must not be cancelled by it (a 1 ms timeout made opening fail).
const MIGRATION_TIMEOUT = '10min';

/** Migrates, then runs `then` (the cluster's lookup) still under the migration's timeout and lock. */
async function migrate<T>(client: PoolClient, then: () => Promise<T>): Promise<T> {
  const folder = migrationsFolder();
  await client.query(`SET statement_timeout = '${MIGRATION_TIMEOUT}'`);
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATE_LOCK]);
  try {
    await refuseNewerSchema(client, folder);
    const { drizzle } = await import('drizzle-orm/node-postgres');
    const { migrate: apply } = await import('drizzle-orm/node-postgres/migrator');
    // Beside the history's tables (public), not in a schema of drizzle's own: the role needs no CREATE SCHEMA.
    await apply(drizzle({ client }), { migrationsFolder: folder, migrationsSchema: 'public', migrationsTable: '__drizzle_migrations' });
    return await then();
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATE_LOCK]).catch(() => {});
    await client.query('RESET statement_timeout').catch(() => {});
  }
}

/** Which cluster a handle works on; a writer adds it to the history when new, a reader is refused one that is not there. */
export interface ClusterChoice {
  cluster?: string;
  create?: boolean;
}

async function clusterId(client: PoolClient, name: string, create: boolean): Promise<number> {
  if (create) await client.query('INSERT INTO clusters (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [name]);
  const { rows } = await client.query<{ id: number }>('SELECT id FROM clusters WHERE name = $1', [name]);
  if (!rows[0]) throw new NotFoundError(`no cluster ${name} in this history (\`treesnap clusters\` lists them)`);
  return rows[0].id;
}

export async function openPgDatabase(url: string, opts: PgOpenOptions & ClusterChoice = {}): Promise<PgDb> {
  const pool = await openPool(url, opts);
  const cluster = opts.cluster ?? DEFAULT_CLUSTER;
  let client: PoolClient | undefined;
  try {
    client = await pool.connect();
    const c = client;
    return { pool, cluster, clusterId: await migrate(c, () => clusterId(c, cluster, opts.create ?? true)) };
  } catch (e) {
    client?.release();
    client = undefined;
    await pool.end().catch(() => {});
    if (e instanceof DatabaseError || e instanceof NotFoundError) throw e;
    throw new DatabaseError(`cannot prepare the history in ${serverName(url)}: ${pgErrorWhy(e)}`);
  } finally {
    client?.release();
  }
}

export async function closePgDatabase(db: PgDb): Promise<void> {
  await db.pool.end();
}
