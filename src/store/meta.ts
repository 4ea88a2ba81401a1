// The `meta` table: small named records the store keeps beside the history
// (how far the drift record reaches, and with which checks).
import type { Db } from './db.js';
import { statement } from './statement-cache.js';

const READ_SQL = 'SELECT value FROM meta WHERE cluster = current_cluster() AND key = ?';
const WRITE_SQL = 'INSERT INTO meta (cluster, key, value) VALUES (current_cluster(), ?, ?) ON CONFLICT (cluster, key) DO UPDATE SET value = excluded.value';

export function readMeta(db: Db, key: string): string | undefined {
  return statement(db, READ_SQL).pluck().get(key) as string | undefined;
}

export function writeMeta(db: Db, key: string, value: string): void {
  db.$client.prepare(WRITE_SQL).run(key, value);
}
