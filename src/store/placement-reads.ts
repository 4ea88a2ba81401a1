// The hosts placed in a few leaves at one snapshot (zk.roles placements),
// through fact_versions_leaf_idx (the leaf a placement names, zk.roles' versions
// only): the versions that ever placed a host there, each kept when it still
// holds at the snapshot (no later version of its key by then, a tombstone
// included). A blast radius's leaf totals then cost the leaves concerned, not
// every host's placement (5,000 at the bench's scale).
import type { Db } from './db.js';
import { SOURCE_CODES } from './source-codes.js';
import { statement } from './statement-cache.js';

export interface LeafPlacement {
  /** Host id. */
  entity: string;
  leaf: string;
}

// zk.roles's code as a literal: the index's WHERE names it so, and SQLite uses a partial index only for a query that implies its WHERE.
export const PLACED_IN_LEAVES_SQL = `
  SELECT k.entity AS entity, j.value AS leaf
  FROM json_each(?) j CROSS JOIN fact_versions v INDEXED BY fact_versions_leaf_idx
    ON v.cluster = current_cluster() AND v.source = ${SOURCE_CODES['zk.roles']} AND json_valid(v.value) AND json_extract(v.value, '$.leaf') = j.value AND v.from_snapshot <= ?
  JOIN fact_keys k ON k.id = v.key_id AND k.kind = 'placement'
  WHERE NOT EXISTS (SELECT 1 FROM fact_versions n WHERE n.key_id = v.key_id AND n.from_snapshot > v.from_snapshot AND n.from_snapshot <= ?)
  ORDER BY k.entity`;

/** Every host placed in one of `leaves` at snapshot `at`, in host id order. */
export function placedInLeaves(db: Db, leaves: readonly string[], at: number): LeafPlacement[] {
  if (!leaves.length) return [];
  return statement(db, PLACED_IN_LEAVES_SQL).all(JSON.stringify([...new Set(leaves)]), at, at) as LeafPlacement[];
}
