// Opens a pool of connections to a PostgreSQL history from a postgres:// URL.
// pg is required here, when first needed, and nowhere else: the SQLite CLI (its
// bundle, scripts/build.mjs) never loads it. A server that
// refuses, cannot be reached, or does not accept the credentials is one line
// and a DatabaseError (exit 6), found at open time by a first query.
import { createRequire } from 'node:module';
import type { Pool, PoolConfig } from 'pg';
import { DatabaseError } from '../../errors.js';
import { serverName } from './url.js';

export interface PgOpenOptions {
  /** ms to wait for a connection (TCP and authentication) before failing. */
  connectTimeoutMs?: number;
  /** ms any one statement may run before the server cancels it. */
  statementTimeoutMs?: number;
  /** Connections in the pool. */
  max?: number;
}

const INT8_OID = 20;

// Why a connection failed, by the error's code: Node's for the socket, PostgreSQL's SQLSTATE for the server's answer.
const WHY: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is the server running and listening there?)',
  ECONNRESET: 'the server closed the connection',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'the host name could not be resolved',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'timed out connecting',
  '28P01': 'authentication failed (wrong password)',
  '28000': 'the server refused this user (pg_hba.conf or no such role)',
  '3D000': 'no such database',
  '42501': 'permission denied',
  '53300': 'too many connections',
  '57P03': 'the server is starting up or shutting down',
  '57014': 'a statement ran past the statement timeout and was cancelled',
};

function codeOf(e: unknown): string | undefined {
  if (e instanceof AggregateError && e.errors.length) return codeOf(e.errors[0]);
  return (e as { code?: string } | null)?.code;
}

/** In words, why a PostgreSQL call failed (the driver's message when the code is not one we name). */
export function pgErrorWhy(e: unknown): string {
  // drizzle wraps the server's error in one whose message is the whole failed statement.
  if (e instanceof Error && e.cause !== undefined && /^Failed query/.test(e.message)) return pgErrorWhy(e.cause);
  const code = codeOf(e);
  if (code && WHY[code]) return WHY[code];
  const message = e instanceof Error ? e.message : String(e);
  // The pool's own timeout has no code.
  if (/timeout/i.test(message) && /connect/i.test(message)) return WHY.ETIMEDOUT!;
  // pg asks for a password only when the server wants one; with none given it throws this.
  if (/SASL|password must be a string/.test(message)) return 'the server asks for a password and the URL gives none';
  return message.split('\n')[0]!;
}

/** A pool whose bigints (epoch-ms times, counts) come back as numbers, as SQLite's do. */
function poolConfig(url: string, opts: PgOpenOptions, parseInt8: (v: string) => number, base: PoolConfig['types']): PoolConfig {
  return {
    connectionString: url,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
    statement_timeout: opts.statementTimeoutMs ?? 60_000,
    max: opts.max ?? 4,
    application_name: 'treesnap',
    types: { getTypeParser: ((oid: number, format?: string) => (oid === INT8_OID ? parseInt8 : base!.getTypeParser(oid, format as 'text'))) as never },
  };
}

export async function openPool(url: string, opts: PgOpenOptions = {}): Promise<Pool> {
  // require, not import(): the CLI bundle runs as a vm.Script (scripts/cli-start.cjs), where a dynamic import() has no loader.
  const pg = createRequire(import.meta.url)('pg') as typeof import('pg');
  const pool = new pg.Pool(poolConfig(url, opts, Number, pg.types));
  // An idle connection the server drops (restart, pg_terminate_backend) must not kill the process: the next query gets a new one.
  pool.on('error', () => {});
  try {
    // Connecting is the check (refused, unauthenticated, no such database): no statement runs under
    // the queries' statement timeout here, which a slow first statement on a new backend could outlast.
    (await pool.connect()).release();
  } catch (e) {
    await pool.end().catch(() => {});
    throw new DatabaseError(`cannot open ${serverName(url)}: ${pgErrorWhy(e)}`);
  }
  return pool;
}
