// The clusters of a PostgreSQL history, as ../cluster-list.ts lists them.
import { CLUSTERS_SQL, type ClusterRow } from '../cluster-list.js';
import type { Sql } from './pg-db.js';

// ORDER BY name in the C collation: SQLite's byte order, whatever the database's locale.
export const PG_CLUSTERS_SQL = `${CLUSTERS_SQL} COLLATE "C"`;

export async function pgListClusters(sql: Sql): Promise<ClusterRow[]> {
  return (await sql.query<ClusterRow>(PG_CLUSTERS_SQL)).rows;
}
