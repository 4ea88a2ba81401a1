// Opening a PostgreSQL history migrates it (migrations-pg/, src/store/postgres/open-pg.ts):
// collectors opening a new history together migrate it once, and a history
// migrated by a newer treesnap is refused in one line (exit 6), unchanged.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { exitCodeFor, EXIT } from '../../src/cli/exit-codes.js';
import { DatabaseError } from '../../src/errors.js';
import { closePgDatabase, openPgDatabase } from '../../src/store/postgres/open-pg.js';
import { freshDatabase } from '../support/postgres.js';

const drops: (() => Promise<void>)[] = [];
after(async () => {
  for (const d of drops) await d();
});

async function query(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

const JOURNAL = JSON.parse(readFileSync('migrations-pg/meta/_journal.json', 'utf8')) as { entries: { when: number }[] };

describe('migrating a PostgreSQL history on open', () => {
  test('four openers of a new history at once: all open, each migration applied once', async () => {
    const database = await freshDatabase('open');
    drops.push(database.drop);
    const dbs = await Promise.all([1, 2, 3, 4].map(() => openPgDatabase(database.url)));
    await Promise.all(dbs.map(closePgDatabase));
    const applied = await query(database.url, 'SELECT count(*)::int AS n FROM __drizzle_migrations');
    assert.equal(applied.rows[0].n, JOURNAL.entries.length);
    const tables = await query(database.url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
    assert.deepEqual(tables.rows.map((r: { tablename: string }) => r.tablename), ['__drizzle_migrations', 'clusters', 'collector_leases', 'fact_keys', 'fact_versions', 'meta', 'snapshot_sources', 'snapshots', 'state_checkpoints']);
  });

  test('a history migrated by a newer treesnap is refused, and left as it was', async () => {
    const database = await freshDatabase('open');
    drops.push(database.drop);
    await closePgDatabase(await openPgDatabase(database.url));
    const newer = Math.max(...JOURNAL.entries.map((e) => e.when)) + 1;
    await query(database.url, `INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('from-the-future', ${newer})`);
    const err = await openPgDatabase(database.url).then(
      () => assert.fail('opened a newer history'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof DatabaseError);
    assert.equal(exitCodeFor(err), EXIT.DATABASE);
    assert.match(err.message, /newer than this treesnap understands/);
    const applied = await query(database.url, 'SELECT count(*)::int AS n FROM __drizzle_migrations');
    assert.equal(applied.rows[0].n, JOURNAL.entries.length + 1);
  });
});
