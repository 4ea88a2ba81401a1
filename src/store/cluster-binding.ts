// Binding a connection to one cluster of the history (I/O): the cluster's id
// becomes the SQL function current_cluster(), which every statement of the
// store leads its keys with. Bound once when the history is opened, so the
// reads and writes take no cluster argument and their call sites stay as
// they were; SQLite evaluates a deterministic function of no arguments once
// per statement run, and seeks the indexes on it as on a bound parameter.
import type Database from 'better-sqlite3';
import { NotFoundError } from '../errors.js';

export const DEFAULT_CLUSTER = 'default';

/** The id of cluster `name`; a writer adds it when the history has none yet. */
function clusterId(client: Database.Database, name: string, create: boolean): number {
  const find = client.prepare('SELECT id FROM clusters WHERE name = ?').pluck();
  const id = find.get(name) as number | undefined;
  if (id !== undefined) return id;
  if (!create) throw new NotFoundError(`no cluster ${name} in this history (\`treesnap clusters\` lists them)`);
  return Number(client.prepare('INSERT INTO clusters (name) VALUES (?)').run(name).lastInsertRowid);
}

export function bindCluster(client: Database.Database, name: string, create: boolean): void {
  const id = clusterId(client, name, create);
  client.function('current_cluster', { deterministic: true }, () => id);
}
