// The rest of the query layer's reads on PostgreSQL (pg-reader-sql.ts has the
// version reads and the rules of translation): the watched record, snapshot
// marks and lookups, the agents' own keys, changed keys, checkpoints, meta.
import { sourcesNamedIn } from '../named-sources.js';

const BEFORE = `(SELECT p.value FROM fact_versions p WHERE p.key_id = v.key_id AND p.from_snapshot < v.from_snapshot
      ORDER BY p.from_snapshot DESC LIMIT 1)`;

/** A JSON array member of `json`, or none when it is absent or no array (SQLite's json_each and json_array_length answer so). */
const array = (json: string) => `CASE WHEN jsonb_typeof(${json}) = 'array' THEN ${json} END`;
const EVENTS = `jsonb_array_elements(${array("v.value::jsonb -> 'events'")}) c`;
const WATCH_FROM = 'fact_keys k JOIN fact_versions v ON v.key_id = k.id';
const WATCH_WHERE = "WHERE k.cluster = current_cluster() AND k.source = 'zk.watch' AND k.kind = 'watch'";

/** watch-record-reads.ts WATCH_RECORD_SQL */
export const WATCH_RECORD_SQL = `
  SELECT v.from_snapshot AS snapshot, v.key_id AS "keyId", k.entity AS entity, v.value AS value, ${BEFORE} AS before
  FROM ${WATCH_FROM}
  ${WATCH_WHERE}
    AND (k.entity = ANY($1::text[]) OR ($2::boolean AND (k.entity IN ('dropped', 'unwatched') OR (k.entity COLLATE "C" >= 'gap:' AND k.entity COLLATE "C" < 'gap;'))))
    AND v.from_snapshot > $3 AND v.from_snapshot <= $4
    AND ($5::text[] IS NULL OR (v.value IS NOT NULL AND EXISTS (SELECT 1 FROM unnest($5::text[]) m WHERE strpos(v.value, m) > 0)))
  ORDER BY v.from_snapshot, v.key_id`;

/** watch-record-reads.ts WATCHED_CHANGES_OF_PATH_SQL */
export const WATCHED_CHANGES_OF_PATH_SQL = `
  SELECT coalesce(sum(CASE c ->> 'kind' WHEN 'children'
    THEN coalesce(jsonb_array_length(${array("c -> 'added'")}), 0) + coalesce(jsonb_array_length(${array("c -> 'removed'")}), 0) ELSE 1 END), 0) AS n
  FROM ${WATCH_FROM} CROSS JOIN LATERAL ${EVENTS}
  ${WATCH_WHERE}
    AND k.entity = $1 AND v.from_snapshot > $2 AND v.from_snapshot <= $3 AND v.value IS NOT NULL
    AND (c ->> 'kind') IS DISTINCT FROM 'deleted' AND c ->> 'stat' IS NOT NULL`;

/** watch-record-reads.ts WATCHED_REMOVALS_OF_CHILDREN_SQL */
export const WATCHED_REMOVALS_OF_CHILDREN_SQL = `
  SELECT r.name AS name, count(*) AS n
  FROM ${WATCH_FROM} CROSS JOIN LATERAL ${EVENTS} CROSS JOIN LATERAL jsonb_array_elements_text(${array("c -> 'removed'")}) r(name)
  ${WATCH_WHERE}
    AND k.entity = $1 AND v.from_snapshot > $2 AND v.from_snapshot <= $3 AND v.value IS NOT NULL
    AND c ->> 'kind' = 'children' AND c ->> 'stat' IS NOT NULL AND r.name = ANY($4::text[])
  GROUP BY r.name
  ORDER BY r.name COLLATE "C"`;

const MARK_COLS = 'id, started_at AS "startedAt"';
/** snapshot-marks.ts MARK_SQL, BEFORE_SQL, AFTER_SQL, PREVIOUS_OK_SQL, FIRST_AT_OR_AFTER_SQL, LAST_AT_OR_BEFORE_SQL */
export const MARK_SQL = `SELECT ${MARK_COLS} FROM snapshots WHERE cluster = current_cluster() AND id = $1`;
export const BEFORE_SQL = `SELECT ${MARK_COLS} FROM snapshots WHERE cluster = current_cluster() AND id = (SELECT max(id) FROM snapshots WHERE cluster = current_cluster() AND id < $1)`;
export const AFTER_SQL = `SELECT ${MARK_COLS} FROM snapshots WHERE cluster = current_cluster() AND id = (SELECT min(id) FROM snapshots WHERE cluster = current_cluster() AND id > $1)`;
export const PREVIOUS_OK_SQL = 'SELECT max(snapshot_id) AS id FROM snapshot_sources WHERE cluster = current_cluster() AND source = $1 AND ok AND snapshot_id < $2';
/** snapshot-marks.ts MARKS_OF_SQL, BEFORE_OF_SQL, PREVIOUS_OK_OF_SQL, MARKS_BETWEEN_SQL: the same for many ids */
export const MARKS_OF_SQL = `SELECT ${MARK_COLS} FROM snapshots WHERE cluster = current_cluster() AND id = ANY($1::bigint[])`;
export const BEFORE_OF_SQL = `
  SELECT j.id AS of, s.id, s.started_at AS "startedAt" FROM unnest($1::bigint[]) j(id)
  CROSS JOIN LATERAL (SELECT id, started_at FROM snapshots WHERE cluster = current_cluster() AND id < j.id ORDER BY id DESC LIMIT 1) s`;
export const PREVIOUS_OK_OF_SQL = `
  SELECT j.id AS of, (SELECT max(snapshot_id) FROM snapshot_sources
    WHERE cluster = current_cluster() AND source = $1 AND ok AND snapshot_id < j.id) AS id
  FROM unnest($2::bigint[]) j(id)`;
export const MARKS_BETWEEN_SQL = `SELECT ${MARK_COLS} FROM snapshots WHERE cluster = current_cluster() AND id >= $1 AND id <= $2 ORDER BY id`;
export const FIRST_AT_OR_AFTER_SQL = `SELECT ${MARK_COLS} FROM snapshots WHERE cluster = current_cluster() AND started_at >= $1 ORDER BY started_at, id LIMIT 1`;
export const LAST_AT_OR_BEFORE_SQL = `SELECT ${MARK_COLS} FROM snapshots WHERE cluster = current_cluster() AND started_at <= $1 ORDER BY started_at DESC, id DESC LIMIT 1`;

const SNAPSHOT_COLS = 'id, started_at AS "startedAt", finished_at AS "finishedAt", failed_sources AS "failedSources"';
/** snapshot-index.ts's statements */
export const SNAPSHOT_BY_ID_SQL = `SELECT ${SNAPSHOT_COLS} FROM snapshots WHERE cluster = current_cluster() AND id = $1`;
export const SNAPSHOT_AT_OR_BEFORE_SQL = `SELECT ${SNAPSHOT_COLS} FROM snapshots WHERE cluster = current_cluster() AND started_at <= $1 ORDER BY started_at DESC, id DESC LIMIT 1`;
export const SNAPSHOT_LATEST_SQL = `SELECT ${SNAPSHOT_COLS} FROM snapshots WHERE cluster = current_cluster() ORDER BY id DESC LIMIT 1 OFFSET $1`;
// LIMIT NULL is no limit (SQLite's is -1).
export const LIST_SNAPSHOTS_SQL = `SELECT ${SNAPSHOT_COLS} FROM snapshots WHERE cluster = current_cluster() AND started_at >= $1 AND started_at <= $2 ORDER BY started_at DESC, id DESC LIMIT $3`;
export const SNAPSHOTS_BETWEEN_SQL = `SELECT ${SNAPSHOT_COLS} FROM snapshots WHERE cluster = current_cluster() AND id >= $1 AND id <= $2 ORDER BY id`;
/** snapshot-index.ts EACH_OUTCOME: the outcome rows of the snapshots a condition on snapshot_id names, as index seeks of the key (cluster, source, ok, snapshot_id). */
export const EACH_OUTCOME = `cluster = current_cluster() AND ok IN (false, true) AND source IN (${sourcesNamedIn('snapshot_sources')})`;
// In source order, as SQLite's ORDER BY source (bytewise).
export const OUTCOMES_SQL = `SELECT source, ok, error_kind AS "errorKind", error_message AS "errorMessage", duration_ms AS "durationMs",
  endpoint, stats FROM snapshot_sources WHERE ${EACH_OUTCOME} AND snapshot_id = $1 ORDER BY source COLLATE "C"`;
/** snapshot-index.ts OUTCOMES_BETWEEN_SQL: every outcome row of a range of snapshots, ordered by outcomesBySnapshot. */
export const OUTCOMES_BETWEEN_SQL = `SELECT snapshot_id AS "snapshotId", source, ok, error_kind AS "errorKind", error_message AS "errorMessage",
  duration_ms AS "durationMs", endpoint, stats FROM snapshot_sources WHERE ${EACH_OUTCOME} AND snapshot_id >= $1 AND snapshot_id <= $2`;
export const LAST_OK_SQL = 'SELECT max(snapshot_id) AS id FROM snapshot_sources WHERE cluster = current_cluster() AND source = $1 AND ok AND snapshot_id <= $2';
// The newest row of each flag, each a backward index scan that stops at once.
const newestWithEndpoint = (ok: boolean) => `(SELECT snapshot_id AS id, endpoint, stats FROM snapshot_sources
  WHERE cluster = current_cluster() AND source = $1 AND ok = ${ok} AND endpoint IS NOT NULL ORDER BY snapshot_id DESC LIMIT 1)`;
export const LAST_ENDPOINT_SQL = `${newestWithEndpoint(true)} UNION ALL ${newestWithEndpoint(false)} ORDER BY id DESC LIMIT 1`;
/** history-facts.ts */
export const ID_RANGE_SQL = 'SELECT min(id) AS first, max(id) AS last FROM snapshots WHERE cluster = current_cluster()';
export const LAST_COMPLETE_SQL = 'SELECT max(finished_at) AS at FROM snapshots WHERE cluster = current_cluster() AND failed_sources = 0';

const AGENT_KEYS = `k.cluster = current_cluster() AND k.source = 'agents'
    AND ((k.kind = 'agent_role' AND k.entity = $1) OR (k.kind = 'agent_host' AND k.entity COLLATE "C" >= $2 AND k.entity COLLATE "C" < $3))`;
/** agent-rows.ts AGENT_HISTORY_SQL */
export const AGENT_HISTORY_SQL = `
  SELECT v.from_snapshot AS snapshot, k.kind AS kind, k.entity AS entity, v.value AS value
  FROM fact_keys k JOIN fact_versions v ON v.key_id = k.id
  WHERE ${AGENT_KEYS} AND v.from_snapshot <= $4
  ORDER BY v.from_snapshot, k.id`;
/** agent-rows.ts AGENT_AT_SQL */
export const AGENT_AT_SQL = `
  SELECT k.kind AS kind, k.entity AS entity,
    (SELECT v.value FROM fact_versions v WHERE v.key_id = k.id AND v.from_snapshot <= $4 ORDER BY v.from_snapshot DESC LIMIT 1) AS value
  FROM fact_keys k WHERE ${AGENT_KEYS}
  ORDER BY k.entity COLLATE "C"`;

/** changed-keys.ts CHANGED_KEYS_SQL ($1 a, $2 b, $3 lo, $4 hi, $5 source); SQLite's DISTINCT hands keys out as first met along (from_snapshot, key_id) */
export const CHANGED_KEYS_SQL = `
  SELECT k.source AS source, k.kind AS kind, k.entity AS entity,
    (SELECT p.value FROM fact_versions p WHERE p.key_id = c.key_id AND p.from_snapshot <= $1 ORDER BY p.from_snapshot DESC LIMIT 1) AS before,
    (SELECT p.value FROM fact_versions p WHERE p.key_id = c.key_id AND p.from_snapshot <= $2 ORDER BY p.from_snapshot DESC LIMIT 1) AS after
  FROM (SELECT key_id, min(from_snapshot) AS first FROM fact_versions
        WHERE cluster = current_cluster() AND source = $5 AND from_snapshot > $3 AND from_snapshot <= $4 GROUP BY key_id) c
  JOIN fact_keys k ON k.id = c.key_id
  ORDER BY c.first, c.key_id`;

/** changed-keys.ts CHANGED_KEY_NAMES_SQL ($1 lo, $2 hi, $3 source), in SQLite's order as CHANGED_KEYS_SQL */
export const CHANGED_KEY_NAMES_SQL = `
  SELECT k.kind AS kind, k.entity AS entity
  FROM (SELECT key_id, min(from_snapshot) AS first FROM fact_versions
        WHERE cluster = current_cluster() AND source = $3 AND from_snapshot > $1 AND from_snapshot <= $2 GROUP BY key_id) c
  JOIN fact_keys k ON k.id = c.key_id
  ORDER BY c.first, c.key_id`;

/** meta.ts READ_SQL */
export const META_SQL = 'SELECT value FROM meta WHERE cluster = current_cluster() AND key = $1';

/** presence-starts.ts PRESENCE_STARTS_SQL */
export const PRESENCE_STARTS_SQL = `
  SELECT k.entity AS entity, c.starts AS starts, c.first AS first
  FROM (SELECT v.key_id AS key_id, count(*)::integer AS starts, min(v.from_snapshot) AS first
        FROM fact_versions v
        WHERE v.cluster = current_cluster() AND v.source = $1 AND v.from_snapshot <= $2 AND v.value IS NOT NULL
          AND ${BEFORE} IS NULL
        GROUP BY v.key_id) c
    JOIN fact_keys k ON k.id = c.key_id AND k.kind = $3
  ORDER BY k.entity COLLATE "C"`;

/** placement-reads.ts PLACED_IN_LEAVES_SQL (through fact_versions_leaf_idx: the same expression as the index's, the leaves as one array condition of it) */
export const PLACED_IN_LEAVES_SQL = `
  SELECT k.entity AS entity, (v.value::jsonb) ->> 'leaf' AS leaf
  FROM fact_versions v JOIN fact_keys k ON k.id = v.key_id AND k.kind = 'placement'
  WHERE v.cluster = current_cluster() AND v.source = 'zk.roles' AND ((v.value::jsonb) ->> 'leaf') = ANY($1::text[]) AND v.from_snapshot <= $2
    AND NOT EXISTS (SELECT 1 FROM fact_versions n WHERE n.key_id = v.key_id AND n.from_snapshot > v.from_snapshot AND n.from_snapshot <= $2)
  ORDER BY k.entity COLLATE "C"`;
