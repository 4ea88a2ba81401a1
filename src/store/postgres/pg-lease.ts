// The collector lease on PostgreSQL (../collector-lease-contract.ts), one row
// per cluster in collector_leases. Expiry is the server's clock, never a
// collector's. A lease is free when it expired (a paused holder stops renewing)
// or when its holder's lease session is no longer connected (killed, or cut
// off by pg_terminate_backend): pg_stat_activity lists every live backend.
// The holder's writes check it in their own transaction (pgCheckLease), as one
// UPDATE whose row lock holds off a takeover until the write commits.
import type { PoolClient } from 'pg';
import { LeaseLostError, type LeaseClaim, type LeaseSession, type LeaseView } from '../collector-lease-contract.js';
import { pgErrorWhy } from './connect.js';
import type { PgDb, Sql } from './pg-db.js';

const NOW_MS = '(extract(epoch from clock_timestamp()) * 1000)::bigint';
const CONNECTED = (pid: string) => `EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = ${pid})`;

// Ours (this holder on this very session) is kept at its fence; anything else taken is a new holder: fence + 1.
const CLAIM_SQL = `
  INSERT INTO collector_leases AS l (cluster, holder, holder_pid, fence, expires_at)
  VALUES ($1, $2, pg_backend_pid(), 1, ${NOW_MS} + $3)
  ON CONFLICT (cluster) DO UPDATE SET
    holder = excluded.holder, holder_pid = excluded.holder_pid, expires_at = excluded.expires_at,
    fence = CASE WHEN l.holder = excluded.holder AND l.holder_pid = excluded.holder_pid THEN l.fence ELSE l.fence + 1 END
  WHERE (l.holder = excluded.holder AND l.holder_pid = excluded.holder_pid)
     OR l.expires_at <= ${NOW_MS}
     OR NOT ${CONNECTED('l.holder_pid')}
  RETURNING fence`;

const VIEW_SQL = `
  SELECT holder, fence, expires_at - ${NOW_MS} AS "expiresInMs", ${CONNECTED('holder_pid')} AS "holderConnected", last_tick AS "lastTick"
  FROM collector_leases WHERE cluster = $1`;

const RENEW_SQL = `
  UPDATE collector_leases SET expires_at = ${NOW_MS} + $4
  WHERE cluster = $1 AND holder = $2 AND fence = $3 AND holder_pid = pg_backend_pid() RETURNING fence`;

const RELEASE_SQL = `UPDATE collector_leases SET expires_at = 0 WHERE cluster = $1 AND holder = $2 AND fence = $3`;

// Inside the write: still ours at this fence, unexpired, our session connected, and the tick not yet written.
const CHECK_SQL = `
  UPDATE collector_leases l SET expires_at = ${NOW_MS} + $5, last_tick = $4
  WHERE cluster = $1 AND holder = $2 AND fence = $3 AND expires_at > ${NOW_MS}
    AND (last_tick IS NULL OR last_tick < $4) AND ${CONNECTED('l.holder_pid')}
  RETURNING fence`;

interface Row {
  holder: string;
  fence: number;
  expiresInMs: number;
  holderConnected: boolean;
  lastTick: number | null;
}

async function view(sql: Sql, cluster: string): Promise<Row | undefined> {
  return (await sql.query<Row>(VIEW_SQL, [cluster])).rows[0];
}

/** Why a write's claim no longer holds, in words, from the lease as it now stands. */
function whyLost(claim: LeaseClaim, row: Row | undefined): string {
  if (!row) return 'the lease is gone';
  if (row.holder !== claim.holder || row.fence !== claim.fence) return `the lease passed to ${row.holder} (fence ${row.fence})`;
  if (row.lastTick !== null && row.lastTick >= claim.tickAt) return 'this tick was already written';
  if (!row.holderConnected) return "this collector's lease session is gone";
  return 'the lease expired';
}

/** Checks `claim` in the caller's write transaction and renews it; LeaseLostError (the transaction rolls back) when it does not hold. */
export async function pgCheckLease(sql: Sql, claim: LeaseClaim): Promise<void> {
  const { rowCount } = await sql.query(CHECK_SQL, [claim.cluster, claim.holder, claim.fence, claim.tickAt, claim.ttlMs]);
  if (rowCount === 1) return;
  throw new LeaseLostError(`not written: ${whyLost(claim, await view(sql, claim.cluster))}`);
}

function sessionOf(client: PoolClient, cluster: string, holder: string, ended: Promise<string>): LeaseSession {
  return {
    ended,
    async claim(ttlMs) {
      const taken = await client.query<{ fence: number }>(CLAIM_SQL, [cluster, holder, ttlMs]);
      const { lastTick: _, ...row } = (await view(client, cluster))!;
      return { held: taken.rowCount === 1 && row.holder === holder, ...row };
    },
    async renew(fence, ttlMs) {
      return (await client.query(RENEW_SQL, [cluster, holder, fence, ttlMs])).rowCount === 1;
    },
    async release(fence) {
      await client.query(RELEASE_SQL, [cluster, holder, fence]);
    },
    async close() {
      // Destroyed, not returned to the pool: the session (and so the lease's liveness) ends with it.
      client.release(true);
    },
  };
}

/** A connection taken out of the pool for good, named in pg_stat_activity as the lease session of `holder`. */
export async function pgOpenLeaseSession(db: PgDb, cluster: string, holder: string): Promise<LeaseSession> {
  const client = await db.pool.connect();
  const ended = new Promise<string>((resolve) => {
    // A checked-out client that loses its connection emits 'error'; unheard, it would end the process.
    client.on('error', (e) => resolve(pgErrorWhy(e)));
    client.on('end', () => resolve('the connection ended'));
  });
  await client.query(`SELECT set_config('application_name', $1, false)`, [`treesnap lease ${holder}`.slice(0, 63)]);
  return sessionOf(client, cluster, holder, ended);
}
