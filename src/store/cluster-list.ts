// The clusters a history holds, each with its last collection (I/O): the one
// read that is not bound to the handle's cluster. One seek per cluster.
import type { Db } from './db.js';

export interface ClusterRow {
  name: string;
  /** The cluster's first and last snapshot ids. */
  firstSnapshotId: number;
  lastSnapshotId: number;
  /** The last collection: its start and end (ms since epoch), and how many sources failed in it (0: complete). */
  startedAt: number;
  finishedAt: number;
  failedSources: number;
}

/** Clusters with at least one snapshot, by name; also the PostgreSQL store's query (postgres/pg-clusters.ts). */
export const CLUSTERS_SQL = `
  SELECT c.name AS name, (SELECT min(f.id) FROM snapshots f WHERE f.cluster = c.id) AS "firstSnapshotId", s.id AS "lastSnapshotId",
         s.started_at AS "startedAt", s.finished_at AS "finishedAt", s.failed_sources AS "failedSources"
  FROM clusters c JOIN snapshots s ON s.cluster = c.id AND s.id = (SELECT max(l.id) FROM snapshots l WHERE l.cluster = c.id)
  ORDER BY c.name`;

export function listClusters(db: Db): ClusterRow[] {
  return db.$client.prepare(CLUSTERS_SQL).all() as ClusterRow[];
}
