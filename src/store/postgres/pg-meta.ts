// The `meta` table on PostgreSQL (../meta.ts): small named records beside the history.
import type { Sql } from './pg-db.js';

export async function pgReadMeta(sql: Sql, key: string): Promise<string | undefined> {
  return (await sql.query<{ value: string }>('SELECT value FROM meta WHERE cluster = current_cluster() AND key = $1', [key])).rows[0]?.value;
}

export async function pgWriteMeta(sql: Sql, key: string, value: string): Promise<void> {
  await sql.query('INSERT INTO meta (cluster, key, value) VALUES (current_cluster(), $1, $2) ON CONFLICT (cluster, key) DO UPDATE SET value = excluded.value', [key, value]);
}
