// The version reads queries are built on (I/O); the agents' rows come out
// joined into one agent_role version per agent (agent-version-rows.ts). Each goes through an index:
// versions starting in a snapshot range through the primary key, one range per
// source asked for, then sorted (a window's few thousand rows); one key's value
// at a snapshot through the unique index (key_id, from_snapshot), keys of one
// entity through fact_keys_identity_idx, one seek per (source, kind). Every value comes out as
// text (value-codec.ts unpacks the kinds stored packed).
import { FACT_KINDS, type FactKind } from '../snapshot/fact.js';
import { STORED_SOURCES, type SourceName, type StoredSource } from '../snapshot/source-name.js';
import type { Db } from './db.js';
import type { factKeys } from './schema.js';
import { agentRoleVersions } from './agent-rows.js';
import { joinAgentRows } from './agent-version-rows.js';
import { codeOf, nameOf } from './source-codes.js';
import { statement } from './statement-cache.js';
import { unpackEach, unpackRows } from './value-codec.js';

export interface VersionRow {
  snapshot: number;
  source: SourceName;
  kind: FactKind;
  entity: string;
  value: string | null;
}

// The codes (source-codes.ts) of the sources a JSON array names, once each.
const CODES_NAMED = `(SELECT DISTINCT c.code FROM json_each(?) j JOIN source_codes c ON c.name = j.value)`;

export const RANGE_SQL = `
  SELECT v.from_snapshot AS snapshot, k.source AS source, k.kind AS kind, k.entity AS entity, v.value AS value
  FROM ${CODES_NAMED} j2 CROSS JOIN fact_versions v ON v.cluster = current_cluster() AND v.source = j2.code AND v.from_snapshot > ? AND v.from_snapshot <= ?
    JOIN fact_keys k ON k.id = v.key_id
  ORDER BY v.from_snapshot, v.key_id`;

/** Versions of `sources` starting in (afterId, toId], in snapshot order, streamed. */
export function versionsInRange(db: Db, afterId: number, toId: number, sources: readonly SourceName[]): IterableIterator<VersionRow> {
  const rows = unpackEach(statement(db, RANGE_SQL).iterate(JSON.stringify(sources), afterId, toId) as IterableIterator<VersionRow>);
  return sources.includes('agents') ? joinAgentRows(db, rows, afterId) : rows;
}

export interface VersionWithBefore extends VersionRow {
  /** The value this version replaced (null: none, or a tombstone). */
  before: string | null;
}

export const RANGE_WITH_BEFORE_SQL = `
  SELECT v.from_snapshot AS snapshot, k.source AS source, k.kind AS kind, k.entity AS entity, v.value AS value,
    (SELECT p.value FROM fact_versions p WHERE p.key_id = v.key_id AND p.from_snapshot < v.from_snapshot
      ORDER BY p.from_snapshot DESC LIMIT 1) AS before
  FROM ${CODES_NAMED} j2 CROSS JOIN fact_versions v ON v.cluster = current_cluster() AND v.source = j2.code AND v.from_snapshot > ? AND v.from_snapshot <= ?
    JOIN fact_keys k ON k.id = v.key_id
  ORDER BY v.from_snapshot, v.key_id`;

// One source alone needs no sort: the primary key (source, from_snapshot,
// key_id) hands its rows over in order, so a long range streams.
export const SOURCE_RANGE_WITH_BEFORE_SQL = `
  SELECT v.from_snapshot AS snapshot, k.source AS source, k.kind AS kind, k.entity AS entity, v.value AS value,
    (SELECT p.value FROM fact_versions p WHERE p.key_id = v.key_id AND p.from_snapshot < v.from_snapshot
      ORDER BY p.from_snapshot DESC LIMIT 1) AS before
  FROM fact_versions v JOIN fact_keys k ON k.id = v.key_id
  WHERE v.cluster = current_cluster() AND v.source = ${codeOf('?')} AND v.from_snapshot > ? AND v.from_snapshot <= ?
  ORDER BY v.from_snapshot, v.key_id`;

export function versionsWithBeforeInRange(
  db: Db,
  afterId: number,
  toId: number,
  sources: readonly StoredSource[],
): IterableIterator<VersionWithBefore> {
  const read =
    sources.length === 1
      ? statement(db, SOURCE_RANGE_WITH_BEFORE_SQL).iterate(sources[0], afterId, toId)
      : statement(db, RANGE_WITH_BEFORE_SQL).iterate(JSON.stringify(sources), afterId, toId);
  const rows = unpackEach(read as IterableIterator<VersionWithBefore>);
  return sources.includes('agents') ? joinAgentRows(db, rows, afterId) : rows;
}

// The same at a list of snapshots: one seek of the primary key per snapshot
// and source asked for, in one statement (a window's episode edges: hundreds of them).
export const AT_SNAPSHOTS_WITH_BEFORE_SQL = `
  SELECT v.from_snapshot AS snapshot, k.source AS source, k.kind AS kind, k.entity AS entity, v.value AS value,
    (SELECT p.value FROM fact_versions p WHERE p.key_id = v.key_id AND p.from_snapshot < v.from_snapshot
      ORDER BY p.from_snapshot DESC LIMIT 1) AS before
  FROM json_each(?) j CROSS JOIN ${CODES_NAMED} j2
    CROSS JOIN fact_versions v ON v.cluster = current_cluster() AND v.source = j2.code AND v.from_snapshot = j.value
    JOIN fact_keys k ON k.id = v.key_id
  ORDER BY v.from_snapshot, v.key_id`;

/** Versions of `sources` written at exactly the snapshots `ids`, each with the value it replaced. */
export function versionsWithBeforeAt(db: Db, ids: readonly number[], sources: readonly StoredSource[]): VersionWithBefore[] {
  const rows = unpackRows(statement(db, AT_SNAPSHOTS_WITH_BEFORE_SQL).all(JSON.stringify(ids), JSON.stringify(sources)) as VersionWithBefore[]);
  return sources.includes('agents') ? [...joinAgentRows(db, rows, null)] : rows;
}

/** A fact_keys row (schema.ts), its source and kind narrowed to their names. */
export type KeyRow = Omit<typeof factKeys.$inferSelect, 'source' | 'kind'> & { source: SourceName; kind: FactKind };

// One seek of the identity index per (source, kind) pair, in key order (there
// is no index on entity alone: it cost a third copy of every entity).
export const KEYS_OF_ENTITY_SQL = `
  SELECT k.id AS id, k.source AS source, k.kind AS kind, k.entity AS entity
  FROM json_each(?) j CROSS JOIN json_each(?) j2 CROSS JOIN fact_keys k ON k.cluster = current_cluster() AND k.source = j.value AND k.kind = j2.value AND k.entity = ?
  ORDER BY k.id`;

const SOURCES_JSON = JSON.stringify(STORED_SOURCES);
const KINDS_JSON = JSON.stringify(FACT_KINDS);
export const KEY_SQL = 'SELECT id, source, kind, entity FROM fact_keys WHERE cluster = current_cluster() AND source = ? AND kind = ? AND entity = ?';
export const KEYS_OF_KIND_SQL = 'SELECT id, source, kind, entity FROM fact_keys WHERE cluster = current_cluster() AND source = ? AND kind = ?';

export function keysOfEntity(db: Db, entity: string): KeyRow[] {
  return statement(db, KEYS_OF_ENTITY_SQL).all(SOURCES_JSON, KINDS_JSON, entity) as KeyRow[];
}

export function keyOf(db: Db, source: SourceName, kind: FactKind, entity: string): KeyRow | undefined {
  return statement(db, KEY_SQL).get(source, kind, entity) as KeyRow | undefined;
}

export function keysOfKind(db: Db, source: SourceName, kind: FactKind): KeyRow[] {
  return statement(db, KEYS_OF_KIND_SQL).all(source, kind) as KeyRow[];
}

const KEY_BY_ID_SQL = 'SELECT source, kind, entity FROM fact_keys WHERE id = ?';

export const KEY_VERSIONS_SQL =
  'SELECT from_snapshot AS snapshot, value FROM fact_versions WHERE key_id = ? AND from_snapshot <= ? ORDER BY from_snapshot';

// The same from the version holding at `after` on: a window's read costs the window, not the history.
export const KEY_VERSIONS_AFTER_SQL = `
  SELECT from_snapshot AS snapshot, value FROM fact_versions
  WHERE key_id = ? AND from_snapshot <= ? AND from_snapshot >= coalesce(
    (SELECT max(from_snapshot) FROM fact_versions WHERE key_id = ? AND from_snapshot <= ?), 0)
  ORDER BY from_snapshot`;

/**
 * One key's versions up to `upTo`, oldest first; with `after`, only from the
 * version holding at snapshot `after` (so the first change after it still has
 * the value it replaced).
 */
export function keyVersions(db: Db, keyId: number, upTo: number, after = 0): { snapshot: number; value: string | null }[] {
  const key = statement(db, KEY_BY_ID_SQL).get(keyId) as { source: string; kind: string; entity: string } | undefined;
  if (key?.source === 'agents' && key.kind === 'agent_role') return agentRoleVersions(db, key.entity, upTo, after);
  if (after <= 0) return unpackRows(statement(db, KEY_VERSIONS_SQL).all(keyId, upTo) as EntityVersion[]);
  return unpackRows(statement(db, KEY_VERSIONS_AFTER_SQL).all(keyId, upTo, keyId, after) as EntityVersion[]);
}

export interface EntityVersion {
  snapshot: number;
  value: string | null;
}

export type EntityVersionRow = EntityVersion & { entity: string };

/** Rows as one list per entity, each in row order, their values unpacked. */
export function byEntity(rows: Iterable<EntityVersionRow>): Map<string, EntityVersion[]> {
  const out = new Map<string, EntityVersion[]>();
  for (const { entity, snapshot, value } of unpackEach(rows)) {
    const list = out.get(entity) ?? out.set(entity, []).get(entity)!;
    list.push({ snapshot, value });
  }
  return out;
}

export const VERSIONS_OF_ENTITIES_SQL = `
  SELECT k.entity AS entity, v.from_snapshot AS snapshot, v.value AS value
  FROM fact_keys k JOIN fact_versions v ON v.key_id = k.id
  WHERE k.cluster = current_cluster() AND k.source = ? AND k.kind = ? AND k.entity IN (SELECT value FROM json_each(?)) AND v.from_snapshot <= ?
  ORDER BY k.entity, v.from_snapshot`;

// The same from the version holding at `after` on, per key (as KEY_VERSIONS_AFTER_SQL).
export const VERSIONS_OF_ENTITIES_AFTER_SQL = `
  SELECT k.entity AS entity, v.from_snapshot AS snapshot, v.value AS value
  FROM fact_keys k JOIN fact_versions v ON v.key_id = k.id
  WHERE k.cluster = current_cluster() AND k.source = ? AND k.kind = ? AND k.entity IN (SELECT value FROM json_each(?)) AND v.from_snapshot <= ?
    AND v.from_snapshot >= coalesce((SELECT max(p.from_snapshot) FROM fact_versions p WHERE p.key_id = k.id AND p.from_snapshot <= ?), 0)
  ORDER BY k.entity, v.from_snapshot`;

// The same from the last removal (a null version) at or before `after` on: the
// whole run of presence holding at `after`, however many versions it has.
export const VERSIONS_OF_ENTITIES_FROM_REMOVAL_SQL = `
  SELECT k.entity AS entity, v.from_snapshot AS snapshot, v.value AS value
  FROM fact_keys k JOIN fact_versions v ON v.key_id = k.id
  WHERE k.cluster = current_cluster() AND k.source = ? AND k.kind = ? AND k.entity IN (SELECT value FROM json_each(?)) AND v.from_snapshot <= ?
    AND v.from_snapshot >= coalesce((SELECT max(p.from_snapshot) FROM fact_versions p
      WHERE p.key_id = k.id AND p.from_snapshot <= ? AND p.value IS NULL), 0)
  ORDER BY k.entity, v.from_snapshot`;

/** Where a bounded read starts: at the version holding at `after`, or at the last removal at or before it. */
export type ReadFrom = 'holding' | 'removal';

/**
 * The versions up to `upTo` of one kind's keys for many entities in one read
 * (not one read per entity), oldest first per entity; entities with no key are absent.
 * With `after`, only from the version holding at snapshot `after` on (or, with
 * `from: 'removal'`, from the last removal before it): a window's read costs
 * the window, not the history.
 */
export function versionsOfEntities(
  db: Db,
  source: StoredSource,
  kind: FactKind,
  entities: readonly string[],
  upTo: number,
  after = 0,
  from: ReadFrom = 'holding',
): Map<string, EntityVersion[]> {
  const json = JSON.stringify(entities);
  const bounded = from === 'holding' ? VERSIONS_OF_ENTITIES_AFTER_SQL : VERSIONS_OF_ENTITIES_FROM_REMOVAL_SQL;
  const read =
    after <= 0
      ? statement(db, VERSIONS_OF_ENTITIES_SQL).iterate(source, kind, json, upTo)
      : statement(db, bounded).iterate(source, kind, json, upTo, after);
  return byEntity(read as IterableIterator<EntityVersionRow>);
}

// Only the snapshot each key's holding version was written in: one max() seek
// of the (key_id, from_snapshot) index per key, no value handed over.
export const HOLDING_SINCE_SQL = `
  SELECT k.entity AS entity,
    (SELECT max(p.from_snapshot) FROM fact_versions p WHERE p.key_id = k.id AND p.from_snapshot <= ?) AS snapshot
  FROM fact_keys k
  WHERE k.cluster = current_cluster() AND k.source = ? AND k.kind = ? AND k.entity IN (SELECT value FROM json_each(?))`;

/** The snapshot in which each entity's version holding at `at` was written (its first read); entities with none absent. */
export function holdingSince(db: Db, source: StoredSource, kind: FactKind, entities: readonly string[], at: number): Map<string, number> {
  const rows = statement(db, HOLDING_SINCE_SQL).all(at, source, kind, JSON.stringify(entities)) as { entity: string; snapshot: number | null }[];
  return holdingMap(rows);
}

/** Rows of HOLDING_SINCE_SQL as a map (pure; either engine). */
export function holdingMap(rows: readonly { entity: string; snapshot: number | null }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) if (r.snapshot !== null) out.set(r.entity, Number(r.snapshot));
  return out;
}

// A few keys' versions in some snapshot ranges ((after, to] pairs as a JSON
// array: a flapping host's ~260 episodes are one statement, load-host-watched.ts),
// through the key's (key_id, from_snapshot) index; with a text, only the
// versions whose value contains it, matched in SQL so that the others are
// never handed over and parsed (a packed value is matched once unpacked: its
// bytes are not the text).
export const KEYS_IN_SPANS_SQL = `
  SELECT v.from_snapshot AS snapshot, k.entity AS entity, v.value AS value
  FROM fact_keys k CROSS JOIN json_each(@spans) j CROSS JOIN fact_versions v
    ON v.key_id = k.id AND v.from_snapshot > json_extract(j.value, '$[0]') AND v.from_snapshot <= json_extract(j.value, '$[1]')
  WHERE k.cluster = current_cluster() AND k.source = @source AND k.kind = @kind AND k.entity IN (SELECT value FROM json_each(@entities))
    AND (@mentioning IS NULL OR typeof(v.value) = 'blob' OR instr(v.value, @mentioning) > 0)
  ORDER BY v.from_snapshot`;

export interface EntityVersionAt extends EntityVersion {
  entity: string;
}

/** Versions of `entities` (one kind) in snapshot ranges (after, to], which must not overlap, in snapshot order; with `mentioning`, only values containing it. */
export function versionsOfKeysInSpans(
  db: Db,
  source: StoredSource,
  kind: FactKind,
  entities: readonly string[],
  spans: readonly (readonly [after: number, to: number])[],
  mentioning: string | null = null,
): EntityVersionAt[] {
  if (!spans.length) return [];
  const rows = unpackRows(statement(db, KEYS_IN_SPANS_SQL).all({ source, kind, entities: JSON.stringify(entities), spans: JSON.stringify(spans), mentioning }) as EntityVersionAt[]);
  return mentioning === null ? rows : rows.filter((r) => r.value?.includes(mentioning));
}

/** versionsOfKeysInSpans over the one range (afterId, toId]. */
export function versionsOfKeysInRange(
  db: Db,
  source: StoredSource,
  kind: FactKind,
  entities: readonly string[],
  afterId: number,
  toId: number,
  mentioning: string | null = null,
): EntityVersionAt[] {
  return versionsOfKeysInSpans(db, source, kind, entities, [[afterId, toId]], mentioning);
}

// What holds over each of a few spans of some keys' histories: per [entity,
// first, last] triple, the version holding at `first` (a seek of the key's
// (key_id, from_snapshot) index) and those in (first, last] (a range of it),
// each version once where spans share one. `missing` over a year asks for its
// 12,464 episodes' probes: every probe version of their 1,724 hosts was 320,219
// versions and 2.1 s. CROSS JOIN pins the order, triples first.
export const VERSIONS_OVER_SPANS_SQL = `
  SELECT DISTINCT k.entity AS entity, v.from_snapshot AS snapshot, v.value AS value
  FROM json_each(?) j
  CROSS JOIN fact_keys k ON k.cluster = current_cluster() AND k.source = ? AND k.kind = ? AND k.entity = json_extract(j.value, '$[0]')
  CROSS JOIN fact_versions v ON v.key_id = k.id AND v.from_snapshot <= json_extract(j.value, '$[2]')
    AND v.from_snapshot >= coalesce((SELECT max(p.from_snapshot) FROM fact_versions p
      WHERE p.key_id = k.id AND p.from_snapshot <= json_extract(j.value, '$[1]')), 0)
  ORDER BY k.entity, v.from_snapshot`;

/** A span of one entity's history: from the version holding at snapshot `first` to snapshot `last`. */
export type EntitySpan = readonly [entity: string, first: number, last: number];

/**
 * For each span, the version holding at its `first` snapshot and the versions
 * after it up to `last`, by entity, oldest first, each version once.
 */
export function versionsOverSpans(db: Db, source: StoredSource, kind: FactKind, spans: readonly EntitySpan[]): Map<string, EntityVersion[]> {
  if (!spans.length) return new Map();
  return byEntity(statement(db, VERSIONS_OVER_SPANS_SQL).iterate(JSON.stringify(spans), source, kind) as IterableIterator<EntityVersionRow>);
}

// CROSS JOIN pins the order (SQLite never reorders it): pairs first, then one
// index seek per pair into each table. Left to itself the planner searched
// every key of the kind and probed the pairs per version: 48 s for a year's
// diff of 5,000 Stat keys (query-plans.test.ts keeps the plan).
export const VERSIONS_AT_SQL = `
  SELECT k.entity AS entity, v.from_snapshot AS snapshot, v.value AS value
  FROM json_each(?) j
  CROSS JOIN fact_keys k ON k.cluster = current_cluster() AND k.source = ? AND k.kind = ? AND k.entity = json_extract(j.value, '$[0]')
  CROSS JOIN fact_versions v ON v.key_id = k.id AND v.from_snapshot = json_extract(j.value, '$[1]')`;

/**
 * The versions written at exactly the given snapshot of each entity (one
 * primary-key lookup per pair, however long each key's history is); pairs
 * with no version written there are absent.
 */
export function versionsAt(
  db: Db,
  source: StoredSource,
  kind: FactKind,
  pairs: readonly (readonly [entity: string, snapshot: number])[],
): Map<string, EntityVersion[]> {
  return byEntity(statement(db, VERSIONS_AT_SQL).iterate(JSON.stringify(pairs), source, kind) as IterableIterator<EntityVersionRow>);
}

export interface FailureRow {
  snapshot: number;
  source: SourceName;
  errorKind: string | null;
  errorMessage: string | null;
}

// One range of the (source, ok, snapshot_id) index per source.
export const FAILURES_SQL = `
  SELECT snapshot_id AS snapshot, ${nameOf('o.source')} AS source, error_kind AS errorKind, error_message AS errorMessage
  FROM snapshot_sources o
  WHERE cluster = current_cluster() AND o.source = ${codeOf('?')} AND ok = 0 AND snapshot_id >= ? AND snapshot_id <= ?`;

/** Failed reads in snapshots [fromId, toId], in snapshot order. */
export function failuresInRange(db: Db, fromId: number, toId: number, sources: readonly SourceName[]): FailureRow[] {
  const rows = sources.flatMap((s) => statement(db, FAILURES_SQL).all(s, fromId, toId) as FailureRow[]);
  return rows.sort((a, b) => a.snapshot - b.snapshot);
}

export const FIRST_OK_AFTER_SQL = `SELECT min(snapshot_id) AS id FROM snapshot_sources WHERE cluster = current_cluster() AND source = ${codeOf('?')} AND ok = 1 AND snapshot_id > ?`;

export function firstOkAfter(db: Db, source: SourceName, id: number): number | null {
  return (statement(db, FIRST_OK_AFTER_SQL).get(source, id) as { id: number | null }).id;
}
