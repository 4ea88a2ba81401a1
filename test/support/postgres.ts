// Integration tests run against the real PostgreSQL named by TREESNAP_PG (the
// test command starts one, scripts/run-tests.ts). Each test gets its own
// database, dropped afterwards. A missing server fails the test: it is never a skip.
import { randomUUID } from 'node:crypto';
import pg from 'pg';

export function pgBase(): string {
  const url = process.env.TREESNAP_PG;
  if (!url) throw new Error('TREESNAP_PG is not set: run integration tests through `npm test` (or scripts/with-postgres.ts)');
  return url;
}

/** `url` with another database, user or password. */
export function withUrl(url: string, parts: { database?: string; user?: string; password?: string }): string {
  const u = new URL(url);
  if (parts.database !== undefined) u.pathname = `/${parts.database}`;
  if (parts.user !== undefined) u.username = parts.user;
  if (parts.password !== undefined) u.password = parts.password;
  return u.toString();
}

/** Runs `sql` as the server's administrator (the URL TREESNAP_PG names). */
export async function adminQuery(sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: pgBase(), connectionTimeoutMillis: 30_000 });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new empty database (C collation, as the test server's) and its URL; drop() removes it. */
export async function freshDatabase(prefix = 't'): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
  return {
    name,
    url: withUrl(pgBase(), { database: name }),
    drop: async () => {
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** Runs `sql` on the database `url` names (a test's own history), as its owner. */
export async function adminQueryOn(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 30_000 });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}
