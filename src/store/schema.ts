// The snapshot store's schema, the source of truth for drizzle-kit migrations.
// Design (README "Storage design"): a fact is keyed by (source, kind, entity);
// its history is a list of versions, each valid from one snapshot until the
// next version of the same key. An unchanged collection writes one snapshot
// row and one outcome row per source, nothing else.
import { sql } from 'drizzle-orm';
import { blob, foreignKey, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { SOURCE_CODES } from './source-codes.js';

/**
 * The clusters whose histories share this file. Every other table leads its
 * keys with a cluster id (a small integer: it costs a row a byte or none), so
 * each cluster's snapshots are numbered on their own. A history written before
 * clusters existed is cluster 1, `default` (migration 0004).
 */
export const clusters = sqliteTable('clusters', {
  id: integer('id').primaryKey(),
  name: text('name').notNull().unique(),
});

const clusterId = () =>
  integer('cluster')
    .notNull()
    .references(() => clusters.id);

export const snapshots = sqliteTable(
  'snapshots',
  {
    cluster: clusterId(),
    /** Numbered per cluster, from 1. */
    id: integer('id').notNull(),
    startedAt: integer('started_at').notNull(), // ms since epoch
    finishedAt: integer('finished_at').notNull(),
    /** How many sources failed: 0 = complete. */
    failedSources: integer('failed_sources').notNull(),
  },
  (t) => [primaryKey({ columns: [t.cluster, t.id] }), index('snapshots_started_at_idx').on(t.cluster, t.startedAt)],
);

/**
 * What each source said in each snapshot: ok, or the error that made it unknown.
 * The table is clustered by (source, ok, snapshot): every per-source question
 * ("the last snapshot it was read in", its failures in a range) is a seek of
 * the table itself, so it needs no index (one cost 15 MiB per 100,000
 * snapshots, a third of the rows' own size). One snapshot's outcomes are a seek
 * per source and flag (EACH_OUTCOME in snapshot-index.ts). No foreign key: with
 * no index led by the snapshot, SQLite would scan the table for each snapshot
 * deleted; prune deletes the outcomes itself.
 */
export const snapshotSources = sqliteTable(
  'snapshot_sources',
  {
    cluster: integer('cluster').notNull(),
    snapshotId: integer('snapshot_id').notNull(),
    /** The source's code (source_codes; since migration 0009). */
    source: integer('source').notNull(),
    ok: integer('ok', { mode: 'boolean' }).notNull(),
    errorKind: text('error_kind'),
    errorMessage: text('error_message'),
    durationMs: integer('duration_ms').notNull(),
    /** Where it was read from (host:port), when it has an address. */
    endpoint: text('endpoint'),
    /** Small per-source numbers (counts, probe latency percentiles) as JSON; packed (value-codec.ts) since migration 0006. */
    stats: text('stats'),
  },
  (t) => [primaryKey({ columns: [t.cluster, t.source, t.ok, t.snapshotId] })],
);

export const factKeys = sqliteTable(
  'fact_keys',
  {
    /** Unique in the file (not per cluster): a version names its key by it alone. */
    id: integer('id').primaryKey(),
    cluster: clusterId(),
    source: text('source').notNull(),
    kind: text('kind').notNull(),
    entity: text('entity').notNull(),
  },
  // One host's keys across sources and kinds are a seek of this index per
  // (source, kind) pair (version-reads.ts): an index on entity alone cost a
  // third copy of every entity, 1.5 MiB of a 5,000-host history's first collection.
  (t) => [uniqueIndex('fact_keys_identity_idx').on(t.cluster, t.source, t.kind, t.entity)],
);

/**
 * value NULL: the fact stopped holding at from_snapshot (a tombstone). The
 * table is clustered by (source, from_snapshot): the versions of one source
 * written after a checkpoint lie together, so reading them after a cold start
 * touches a few pages instead of one page per key. Versions across sources in
 * a snapshot range are that key's range once per source (version-reads.ts);
 * an index on (cluster, from_snapshot) for them cost 8 MiB per 100,000
 * snapshots of the bench's history, and was dropped in migration 0008.
 */
export const factVersions = sqliteTable(
  'fact_versions',
  {
    cluster: integer('cluster').notNull(),
    keyId: integer('key_id')
      .notNull()
      .references(() => factKeys.id),
    fromSnapshot: integer('from_snapshot').notNull(),
    /** Canonical JSON; a packed BLOB for the kinds value-codec.ts lists (since migration 0006). */
    value: text('value'),
    /** The key's source, repeated here (as its code in source_codes, since migration 0009) to cluster the table by it. */
    source: integer('source').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.cluster, t.source, t.fromSnapshot, t.keyId] }),
    // one key's history, and its value at a snapshot
    uniqueIndex('fact_versions_key_idx').on(t.keyId, t.fromSnapshot),
    // the hosts placed in one leaf (a blast radius's leaf totals): the placements
    // naming it, rather than every host's placement (zk.roles: its versions only).
    // json_valid: a value that is not JSON (another program's write) stays
    // writable and readable; json_extract alone would refuse it as malformed.
    index('fact_versions_leaf_idx')
      .on(t.cluster, sql`json_extract(value, '$.leaf')`, t.fromSnapshot)
      .where(sql`source = ${sql.raw(String(SOURCE_CODES['zk.roles']))} AND json_valid(value)`),
  ],
);

/**
 * A running count of the changes each watched path's record holds
 * (watch-totals.ts): one row per non-empty `zk.watch` version, the changes of
 * that version and of every earlier one of its key since the count began. The
 * changes between two snapshots are then two rows' difference, where counting
 * them read every version in between (a year of /missing: ~25,000). A version
 * without one (prune carried it forward) is counted from its value.
 */
export const watchTotals = sqliteTable(
  'watch_totals',
  {
    keyId: integer('key_id').notNull(),
    fromSnapshot: integer('from_snapshot').notNull(),
    total: integer('total').notNull(),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.fromSnapshot] })],
);

/**
 * The sources' codes as fact_versions and snapshot_sources hold them
 * (source-codes.ts): the file names them itself, for any program reading it.
 */
export const sourceCodes = sqliteTable('source_codes', {
  code: integer('code').primaryKey(),
  name: text('name').notNull().unique(),
});

/**
 * The whole state of one source as of one snapshot (every fact holding there,
 * src/store/checkpoint-format.ts), written whenever enough versions of the
 * source have accumulated since its previous checkpoint. Reading a source at
 * snapshot S is its latest checkpoint at or before S plus the few versions
 * after it, so the cost no longer depends on how many versions each key has.
 */
export const stateCheckpoints = sqliteTable(
  'state_checkpoints',
  {
    cluster: integer('cluster').notNull(),
    source: text('source').notNull(),
    snapshotId: integer('snapshot_id').notNull(),
    /** Facts in the state (the checkpoint policy's measure of its size). */
    facts: integer('facts').notNull(),
    /** Deflated state text (checkpoint-format.ts); plain text in checkpoints written before 0002. */
    state: blob('state', { mode: 'buffer' }).notNull(),
    /** The same facts with registrations and statuses summarized (src/snapshot/fact-summary.ts), stored alike; NULL when that changes nothing. */
    summary: blob('summary', { mode: 'buffer' }),
  },
  (t) => [
    primaryKey({ columns: [t.cluster, t.source, t.snapshotId] }),
    foreignKey({ columns: [t.cluster, t.snapshotId], foreignColumns: [snapshots.cluster, snapshots.id] }).onDelete('cascade'),
  ],
);

/** Small named records per cluster (how far its drift record reaches, and with which checks). */
export const meta = sqliteTable(
  'meta',
  {
    cluster: integer('cluster').notNull(),
    key: text('key').notNull(),
    value: text('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.cluster, t.key] })],
);

