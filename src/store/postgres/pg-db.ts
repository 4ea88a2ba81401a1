// The handle of an open PostgreSQL history (its own file, like ../db.ts, so the
// store's modules can name it without importing the code that opens it), and
// the two ways every operation runs on it: a read in one consistent snapshot of
// the database, or a write that holds the history's write lock.
import type { Pool, PoolClient } from 'pg';
import { DatabaseError } from '../../errors.js';
import { pgErrorWhy } from './connect.js';

export interface PgDb {
  pool: Pool;
  /** The cluster this handle reads and writes, and its id: every transaction sets it for current_cluster() (migrations-pg/0002). */
  cluster: string;
  clusterId: number;
}

/** One connection of the pool, in a transaction; every store statement takes one. */
export type Sql = PoolClient;

// pg_advisory_xact_lock keys of a cluster's writers ("tree" in ASCII, and the cluster's id): a cluster's
// writes run one at a time, as SQLite's BEGIN IMMEDIATE makes them, so a snapshot is planned against a
// head no other writer moves. Clusters do not share a head (every key starts with the cluster), so their
// collectors write side by side: with one lock for all, 20 collectors of a tick queued behind each other
// (bench clusters: a write's p50 19-51 ms against 2.9-3.4 ms written one after another).
const WRITE_LOCK = 0x74726565;

async function inTransaction<T>(db: PgDb, begin: string, fn: (sql: Sql) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  try {
    // One round trip: the cluster is set for this transaction only, so a pooled connection carries nothing over.
    await client.query(`${begin}; SET LOCAL treesnap.cluster = ${db.clusterId}`);
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/** Reads that must agree with each other (a checkpoint and the versions after it) see one snapshot of the database. */
// A server-side failure is a DatabaseError (exit 6), as a write's; anything else (NotFoundError, a caller's bug) as it is.
export async function pgRead<T>(db: PgDb, fn: (sql: Sql) => Promise<T>): Promise<T> {
  try {
    return await inTransaction(db, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn);
  } catch (e) {
    if (!isServerError(e)) throw e;
    throw new DatabaseError(`cannot read the history: ${pgErrorWhy(e)}`);
  }
}

/**
 * One write transaction holding the history's write lock: a failure rolls all
 * of it back. A server-side failure is a DatabaseError (exit 6); anything else
 * (a caller's bug) is rethrown as it is.
 */
export async function pgWrite<T>(db: PgDb, fn: (sql: Sql) => Promise<T>, what = 'cannot record the snapshot'): Promise<T> {
  try {
    return await inTransaction(db, 'BEGIN', async (sql) => {
      await sql.query('SELECT pg_advisory_xact_lock($1, $2)', [WRITE_LOCK, db.clusterId]);
      return fn(sql);
    });
  } catch (e) {
    if (!isServerError(e)) throw e;
    throw new DatabaseError(`${what}: ${pgErrorWhy(e)}; nothing was written`);
  }
}

/** An error from the server or the connection (it has a code: SQLSTATE or errno), not from our own code. */
export function isServerError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' || (e instanceof Error && /Connection terminated|not queryable/.test(e.message));
}
