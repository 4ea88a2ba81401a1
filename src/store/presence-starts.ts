// How often each key of one kind began to hold, and when first (I/O): the
// versions with a value whose previous version is absent or a tombstone, up
// to a snapshot. A /missing key's are its episodes' starts (missing-episodes.ts
// opens an episode at exactly such a version), so `missing` can count a year
// of episodes and order their hosts without handing over a row per version:
// 12,464 episodes of 1,724 hosts in ~14 ms, where reading their 24,926
// versions took ~45 ms (bench history, 525,600 snapshots).
//
// One source's versions in snapshot order (its primary key), a seek of the
// key's (key_id, from_snapshot) index for each value's previous version, the
// counting in SQL; the keys' names only for the keys counted (CROSS JOIN keeps
// that order: after ANALYZE, SQLite otherwise scanned every key of the file).
import type { FactKind } from '../snapshot/fact.js';
import type { StoredSource } from '../snapshot/source-name.js';
import type { Db } from './db.js';
import { codeOf } from './source-codes.js';
import { statement } from './statement-cache.js';

export interface PresenceStarts {
  entity: string;
  /** Versions at or before the snapshot asked about that made the key hold. */
  starts: number;
  /** The first of them (a snapshot id). */
  first: number;
}

/** The agents' keys are stored one row per host, which only their readers join (agent-version-rows.ts). */
export type PresenceSource = Exclude<StoredSource, 'agents'>;

export const PRESENCE_STARTS_SQL = `
  SELECT k.entity AS entity, c.starts AS starts, c.first AS first
  FROM (SELECT v.key_id AS key_id, count(*) AS starts, min(v.from_snapshot) AS first
        FROM fact_versions v
        WHERE v.cluster = current_cluster() AND v.source = ${codeOf('?')} AND v.from_snapshot <= ? AND v.value IS NOT NULL
          AND (SELECT p.value FROM fact_versions p WHERE p.key_id = v.key_id AND p.from_snapshot < v.from_snapshot
            ORDER BY p.from_snapshot DESC LIMIT 1) IS NULL
        GROUP BY v.key_id) c
    CROSS JOIN fact_keys k ON k.id = c.key_id AND k.kind = ?
  ORDER BY k.entity`;

/** Each key of (source, kind) that began to hold at or before `upTo`, in entity order. */
export function presenceStarts(db: Db, source: PresenceSource, kind: FactKind, upTo: number): PresenceStarts[] {
  return statement(db, PRESENCE_STARTS_SQL).all(source, upTo, kind) as PresenceStarts[];
}
