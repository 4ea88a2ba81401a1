// The SQL of the query layer's reads on PostgreSQL: each the translation of
// the SQLite statement named beside it (same rows, same order, same NULLs).
// How they differ, once: a JSON list parameter (json_each) is an array
// parameter (= ANY, unnest); INDEXED BY goes (PostgreSQL's planner picks);
// ok is a boolean; instr is strpos; a JSON value is read with jsonb, each
// array guarded by its type as SQLite's json functions answer a non-array
// quietly; text is ordered and ranged in the C collation, SQLite's byte order,
// whatever the database's locale; where SQLite's order falls out of its plan,
// it is spelled out.
const BEFORE = `(SELECT p.value FROM fact_versions p WHERE p.key_id = v.key_id AND p.from_snapshot < v.from_snapshot
      ORDER BY p.from_snapshot DESC LIMIT 1)`;
const VERSION_COLS = 'v.from_snapshot AS snapshot, k.source AS source, k.kind AS kind, k.entity AS entity, v.value AS value';

/** version-reads.ts RANGE_SQL */
export const RANGE_SQL = `
  SELECT ${VERSION_COLS}
  FROM fact_versions v JOIN fact_keys k ON k.id = v.key_id
  WHERE v.cluster = current_cluster() AND v.from_snapshot > $1 AND v.from_snapshot <= $2 AND v.source = ANY($3::text[])
  ORDER BY v.from_snapshot, v.key_id`;

/** version-reads.ts RANGE_WITH_BEFORE_SQL */
export const RANGE_WITH_BEFORE_SQL = `
  SELECT ${VERSION_COLS}, ${BEFORE} AS before
  FROM fact_versions v JOIN fact_keys k ON k.id = v.key_id
  WHERE v.cluster = current_cluster() AND v.from_snapshot > $1 AND v.from_snapshot <= $2 AND k.source = ANY($3::text[])
  ORDER BY v.from_snapshot, v.key_id`;

/** version-reads.ts SOURCE_RANGE_WITH_BEFORE_SQL */
export const SOURCE_RANGE_WITH_BEFORE_SQL = `
  SELECT ${VERSION_COLS}, ${BEFORE} AS before
  FROM fact_versions v JOIN fact_keys k ON k.id = v.key_id
  WHERE v.cluster = current_cluster() AND v.source = $1 AND v.from_snapshot > $2 AND v.from_snapshot <= $3
  ORDER BY v.from_snapshot, v.key_id`;

/** version-reads.ts AT_SNAPSHOTS_WITH_BEFORE_SQL */
export const AT_SNAPSHOTS_WITH_BEFORE_SQL = `
  SELECT ${VERSION_COLS}, ${BEFORE} AS before
  FROM unnest($1::bigint[]) j(id) JOIN fact_versions v ON v.cluster = current_cluster() AND v.from_snapshot = j.id
    JOIN fact_keys k ON k.id = v.key_id
  WHERE v.source = ANY($2::text[])
  ORDER BY v.from_snapshot, v.key_id`;

/** version-reads.ts KEYS_OF_ENTITY_SQL */
export const KEYS_OF_ENTITY_SQL = `
  SELECT id, source, kind, entity FROM fact_keys
  WHERE cluster = current_cluster() AND source = ANY($1::text[]) AND kind = ANY($2::text[]) AND entity = $3
  ORDER BY id`;

/** version-reads.ts KEY_SQL */
export const KEY_SQL = 'SELECT id, source, kind, entity FROM fact_keys WHERE cluster = current_cluster() AND source = $1 AND kind = $2 AND entity = $3';

/** version-reads.ts KEYS_OF_KIND_SQL (SQLite reads them along its identity index: in entity order) */
export const KEYS_OF_KIND_SQL = 'SELECT id, source, kind, entity FROM fact_keys WHERE cluster = current_cluster() AND source = $1 AND kind = $2 ORDER BY entity COLLATE "C"';

export const KEY_BY_ID_SQL = 'SELECT source, kind, entity FROM fact_keys WHERE id = $1';

/** version-reads.ts KEY_VERSIONS_SQL */
export const KEY_VERSIONS_SQL = 'SELECT from_snapshot AS snapshot, value FROM fact_versions WHERE key_id = $1 AND from_snapshot <= $2 ORDER BY from_snapshot';

/** version-reads.ts KEY_VERSIONS_AFTER_SQL */
export const KEY_VERSIONS_AFTER_SQL = `
  SELECT from_snapshot AS snapshot, value FROM fact_versions
  WHERE key_id = $1 AND from_snapshot <= $2 AND from_snapshot >= coalesce(
    (SELECT max(from_snapshot) FROM fact_versions WHERE key_id = $1 AND from_snapshot <= $3), 0)
  ORDER BY from_snapshot`;

const ENTITY_VERSIONS = `
  SELECT k.entity AS entity, v.from_snapshot AS snapshot, v.value AS value
  FROM fact_keys k JOIN fact_versions v ON v.key_id = k.id
  WHERE k.cluster = current_cluster() AND k.source = $1 AND k.kind = $2 AND k.entity = ANY($3::text[]) AND v.from_snapshot <= $4`;
const BY_ENTITY = 'ORDER BY k.entity COLLATE "C", v.from_snapshot';

/** version-reads.ts VERSIONS_OF_ENTITIES_SQL */
export const VERSIONS_OF_ENTITIES_SQL = `${ENTITY_VERSIONS} ${BY_ENTITY}`;

/** version-reads.ts VERSIONS_OF_ENTITIES_AFTER_SQL */
export const VERSIONS_OF_ENTITIES_AFTER_SQL = `${ENTITY_VERSIONS}
    AND v.from_snapshot >= coalesce((SELECT max(p.from_snapshot) FROM fact_versions p WHERE p.key_id = k.id AND p.from_snapshot <= $5), 0)
  ${BY_ENTITY}`;

/** version-reads.ts VERSIONS_OF_ENTITIES_FROM_REMOVAL_SQL */
export const VERSIONS_OF_ENTITIES_FROM_REMOVAL_SQL = `${ENTITY_VERSIONS}
    AND v.from_snapshot >= coalesce((SELECT max(p.from_snapshot) FROM fact_versions p
      WHERE p.key_id = k.id AND p.from_snapshot <= $5 AND p.value IS NULL), 0)
  ${BY_ENTITY}`;

/** version-reads.ts HOLDING_SINCE_SQL */
export const HOLDING_SINCE_SQL = `
  SELECT k.entity AS entity,
    (SELECT max(p.from_snapshot) FROM fact_versions p WHERE p.key_id = k.id AND p.from_snapshot <= $1) AS snapshot
  FROM fact_keys k
  WHERE k.cluster = current_cluster() AND k.source = $2 AND k.kind = $3 AND k.entity = ANY($4::text[])`;

/** version-reads.ts KEYS_IN_SPANS_SQL (SQLite's ties within a snapshot come in entity order) */
export const KEYS_IN_SPANS_SQL = `
  SELECT v.from_snapshot AS snapshot, k.entity AS entity, v.value AS value
  FROM fact_keys k CROSS JOIN unnest($4::bigint[], $5::bigint[]) s(after_id, to_id)
  JOIN fact_versions v ON v.key_id = k.id AND v.from_snapshot > s.after_id AND v.from_snapshot <= s.to_id
  WHERE k.cluster = current_cluster() AND k.source = $1 AND k.kind = $2 AND k.entity = ANY($3::text[])
    AND ($6::text IS NULL OR strpos(v.value, $6) > 0)
  ORDER BY v.from_snapshot, k.entity COLLATE "C"`;

/** version-reads.ts VERSIONS_OVER_SPANS_SQL */
export const VERSIONS_OVER_SPANS_SQL = `
  SELECT entity, snapshot, value FROM (
    SELECT DISTINCT k.entity AS entity, v.from_snapshot AS snapshot, v.value AS value
    FROM unnest($1::text[], $2::bigint[], $3::bigint[]) s(entity, first_id, last_id)
    JOIN fact_keys k ON k.cluster = current_cluster() AND k.source = $4 AND k.kind = $5 AND k.entity = s.entity
    JOIN fact_versions v ON v.key_id = k.id AND v.from_snapshot <= s.last_id
      AND v.from_snapshot >= coalesce((SELECT max(p.from_snapshot) FROM fact_versions p
        WHERE p.key_id = k.id AND p.from_snapshot <= s.first_id), 0)) d
  ORDER BY entity COLLATE "C", snapshot`;

/** version-reads.ts VERSIONS_AT_SQL (in the order of the pairs asked for) */
export const VERSIONS_AT_SQL = `
  SELECT k.entity AS entity, v.from_snapshot AS snapshot, v.value AS value
  FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY j(entity, snapshot, n)
  JOIN fact_keys k ON k.cluster = current_cluster() AND k.source = $3 AND k.kind = $4 AND k.entity = j.entity
  JOIN fact_versions v ON v.key_id = k.id AND v.from_snapshot = j.snapshot
  ORDER BY j.n`;

/** version-reads.ts FAILURES_SQL (SQLite reads them along its (source, ok, snapshot_id) index) */
export const FAILURES_SQL = `
  SELECT snapshot_id AS snapshot, source, error_kind AS "errorKind", error_message AS "errorMessage"
  FROM snapshot_sources
  WHERE cluster = current_cluster() AND source = $1 AND NOT ok AND snapshot_id >= $2 AND snapshot_id <= $3
  ORDER BY snapshot_id`;

/** version-reads.ts FIRST_OK_AFTER_SQL */
export const FIRST_OK_AFTER_SQL = 'SELECT min(snapshot_id) AS id FROM snapshot_sources WHERE cluster = current_cluster() AND source = $1 AND ok AND snapshot_id > $2';
