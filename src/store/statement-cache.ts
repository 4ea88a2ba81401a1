// One prepared statement per SQL text per connection: queries that run per
// key or per snapshot must not re-prepare each time.
import type Database from 'better-sqlite3';
import type { Db } from './db.js';

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function statement(db: Db, sql: string): Database.Statement {
  let byText = cache.get(db.$client);
  if (!byText) cache.set(db.$client, (byText = new Map()));
  let s = byText.get(sql);
  if (!s) byText.set(sql, (s = db.$client.prepare(sql)));
  return s;
}
