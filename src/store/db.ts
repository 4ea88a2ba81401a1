// The handle every store function takes (its own file, so that the store's
// modules can name it without importing the code that opens it).
import type Database from 'better-sqlite3';

/**
 * An open history database. Reads and writes are prepared SQL on the client
 * (the hot paths are tuned by hand); drizzle's part is the schema and the
 * migrations, so it is loaded only when a database is opened for writing.
 */
export interface Db {
  $client: Database.Database;
  /**
   * The cluster this handle reads and writes (cluster-binding.ts): its id is
   * bound into the connection as the SQL function current_cluster(), which
   * every statement's key starts with, so one handle sees one cluster only.
   */
  cluster: string;
}
