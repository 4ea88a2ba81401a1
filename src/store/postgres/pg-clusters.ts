// The clusters of a PostgreSQL history, as ../cluster-list.ts lists them.
import { CLUSTERS_SQL, type ClusterRow } from '../cluster-list.js';
import type { Sql } from './pg-db.js';

export async function pgListClusters(sql: Sql): Promise<ClusterRow[]> {
  // ORDER BY name in the C collation: SQLite's byte order, whatever the database's locale.
  return (await sql.query<ClusterRow>(CLUSTERS_SQL.replace('ORDER BY c.name', 'ORDER BY c.name COLLATE "C"'))).rows;
}
