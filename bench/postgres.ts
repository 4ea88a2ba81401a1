// The bench's PostgreSQL: a throwaway server started only for the sections that
// need it (scripts/postgres-server.ts, as the tests start theirs; TREESNAP_PG
// names an existing one instead), one database per history, and the server's
// own tools (pg_dump, pg_restore) that keep a generated history between runs.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { ensurePostgresInstalled, postgresForRun } from '../scripts/postgres-server.js';

export interface BenchPostgres {
  /** The administrator's URL (the server's `postgres` database). */
  url: string;
  /** Where the server came from, for the report. */
  origin: 'throwaway' | 'TREESNAP_PG';
  stop(): Promise<void>;
}

export async function startBenchPostgres(): Promise<BenchPostgres> {
  const { url, server } = await postgresForRun();
  return { url, origin: server ? 'throwaway' : 'TREESNAP_PG', stop: async () => server?.stop() };
}

/** `base` naming database `name` instead (pure). */
export function databaseUrl(base: string, name: string): string {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 30_000 });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Database `name` dropped and made again, empty (C collation, as the tests' server), and its URL. */
export async function freshDatabase(base: string, name: string): Promise<string> {
  await adminQuery(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await adminQuery(base, `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
  return databaseUrl(base, name);
}

/** Runs one of the server's tools (pg_dump, pg_restore) of the installed version; a failure is one line. */
export function pgTool(tool: 'pg_dump' | 'pg_restore', args: string[]): void {
  const r = spawnSync(join(ensurePostgresInstalled(), tool), args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`${tool} failed (${r.error?.message ?? `exit ${r.status}`}): ${(r.stderr || '').trim().split('\n').slice(-2).join(' | ')}`);
  }
}

/** The database's size on disk (tables, indexes, TOAST), bytes. */
export async function databaseBytes(url: string): Promise<number> {
  const rows = await adminQuery<{ bytes: string }>(url, 'SELECT pg_database_size(current_database())::text AS bytes');
  return Number(rows[0]!.bytes);
}
