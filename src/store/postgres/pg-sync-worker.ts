// The worker thread behind the synchronous PostgreSQL session (pg-sync.ts):
// opens the history as the async store does (openPgDatabase: connect timeout,
// statement timeout, migration check, the cluster's lookup), then runs the
// statements posted on its port on one connection bound to that cluster, each
// reply posted before the caller's signal is raised.
import { parentPort, workerData } from 'node:worker_threads';
import type { PoolClient } from 'pg';
import { DatabaseError, NotFoundError } from '../../errors.js';
import { pgErrorWhy } from './connect.js';
import { openPgDatabase } from './open-pg.js';
import { isServerError, type PgDb } from './pg-db.js';
import type { SyncBoot, SyncError, SyncOpened, SyncQuery, SyncReply } from './pg-sync-protocol.js';

const { url, opts, port, signal } = workerData as SyncBoot;
const flag = new Int32Array(signal);

function asData(e: unknown): SyncError {
  if (e instanceof DatabaseError) return { kind: 'database', message: e.message };
  if (e instanceof NotFoundError) return { kind: 'not_found', message: e.message };
  if (isServerError(e)) return { kind: 'server', message: pgErrorWhy(e) };
  return { kind: 'other', message: e instanceof Error ? e.message : String(e) };
}

function reply(r: SyncReply): void {
  port.postMessage(r);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

let client: PoolClient | null = null;
/** Set when the connection failed while idle (killed, the server restarted). */
let lost: Error | null = null;

/** A read transaction is open on the connection: losing it then is an error, not a reconnect. */
let inRead = false;

function drop(e: Error): void {
  client?.release(e);
  client = null;
  lost = null;
  inRead = false;
}

/**
 * The session's connection, bound to the cluster for its whole life (it is
 * never shared, so nothing carries over as on a pooled one). A failed
 * statement drops it: a killed backend or a cancelled statement leaves no
 * doubt about the state of the next one, which connects afresh. So does a
 * connection lost while idle, as the async store's pool replaces one.
 */
async function connection(db: PgDb): Promise<PoolClient> {
  if (lost && inRead) throw lost;
  if (lost) drop(lost);
  if (client) return client;
  const c = await db.pool.connect();
  c.on('error', (e) => {
    if (client === c) lost = e;
  });
  try {
    await c.query(`SET treesnap.cluster = ${db.clusterId}`);
  } catch (e) {
    c.release(e as Error);
    throw e;
  }
  return (client = c);
}

async function run(db: PgDb, q: SyncQuery): Promise<void> {
  try {
    const c = await connection(db);
    const { rows } = await c.query({ text: q.sql, values: q.params as unknown[] });
    if (q.transaction) inRead = q.transaction === 'begin';
    reply({ id: q.id, rows });
  } catch (e) {
    drop(e as Error);
    reply({ id: q.id, error: asData(e) });
  }
}

async function main(): Promise<void> {
  let db: PgDb;
  try {
    db = await openPgDatabase(url, { ...opts, max: 1 });
  } catch (e) {
    parentPort!.postMessage({ type: 'failed', error: asData(e) } satisfies SyncOpened);
    return;
  }
  // One statement at a time: the caller blocks until each reply.
  port.on('message', (q: SyncQuery) => void run(db, q));
  parentPort!.postMessage({ type: 'ready' } satisfies SyncOpened);
}

void main();
