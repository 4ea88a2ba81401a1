// The PostgreSQL history's schema, the source of truth for drizzle-kit's
// migrations-pg/ (drizzle-pg.config.ts). The same tables, columns, keys and
// indexes as the SQLite one (../schema.ts; test/unit/store/pg-schema.test.ts
// keeps them in step), in PostgreSQL's types:
// - ids, snapshot numbers and times are bigint read as JS numbers (epoch ms fit
//   in 53 bits), as SQLite's 64-bit integers are;
// - checkpoint states are bytea: deflated text, as SQLite's BLOBs (../checkpoint-format.ts);
// - fact values and stats stay text, not jsonb. A value is
//   the canonical JSON the planner compares as text to tell a change (and diff,
//   drift and the checkpoints compare or copy that text); jsonb would hand back
//   another text (its own key order and spacing), so both stores would no longer
//   answer byte for byte, and every read would pay a re-serialization. A query
//   that looks inside a value in SQL has a jsonb expression index (fact_versions_leaf_idx).
import { sql } from 'drizzle-orm';
import { bigint, boolean, customType, foreignKey, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';

/** PostgreSQL's byte string (drizzle 0.45 has no builtin for it); pg reads it as a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

const id = (name: string) => bigint(name, { mode: 'number' });

/** The clusters whose histories share this database; every other table leads its keys with one (as ../schema.ts). */
export const clusters = pgTable('clusters', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  name: text('name').notNull().unique(),
});

const clusterId = () =>
  integer('cluster')
    .notNull()
    .references(() => clusters.id);

export const snapshots = pgTable(
  'snapshots',
  {
    cluster: clusterId(),
    /** Numbered per cluster, from 1 (pg-write.ts); an import keeps the ids a SQLite history gave its snapshots. */
    id: id('id').notNull(),
    startedAt: id('started_at').notNull(), // ms since epoch
    finishedAt: id('finished_at').notNull(),
    /** How many sources failed: 0 = complete. */
    failedSources: integer('failed_sources').notNull(),
  },
  (t) => [primaryKey({ columns: [t.cluster, t.id] }), index('snapshots_started_at_idx').on(t.cluster, t.startedAt)],
);

/**
 * What each source said in each snapshot: ok, or the error that made it
 * unknown. Keyed by (source, ok, snapshot) as on SQLite (src/store/schema.ts
 * says why); one snapshot's outcomes are an index seek per source and flag
 * (EACH_OUTCOME in pg-reader-sql-more.ts). No foreign key: without an index led
 * by the snapshot, each snapshot deleted would scan the table.
 */
export const snapshotSources = pgTable(
  'snapshot_sources',
  {
    cluster: integer('cluster').notNull(),
    snapshotId: id('snapshot_id').notNull(),
    source: text('source').notNull(),
    ok: boolean('ok').notNull(),
    errorKind: text('error_kind'),
    errorMessage: text('error_message'),
    durationMs: integer('duration_ms').notNull(),
    endpoint: text('endpoint'),
    stats: text('stats'),
  },
  (t) => [primaryKey({ columns: [t.cluster, t.source, t.ok, t.snapshotId] })],
);

export const factKeys = pgTable(
  'fact_keys',
  {
    id: id('id').primaryKey().generatedByDefaultAsIdentity(),
    cluster: clusterId(),
    source: text('source').notNull(),
    kind: text('kind').notNull(),
    entity: text('entity').notNull(),
  },
  (t) => [uniqueIndex('fact_keys_identity_idx').on(t.cluster, t.source, t.kind, t.entity)],
);

/** value NULL: the fact stopped holding at from_snapshot (a tombstone). */
export const factVersions = pgTable(
  'fact_versions',
  {
    cluster: integer('cluster').notNull(),
    keyId: id('key_id')
      .notNull()
      .references(() => factKeys.id),
    fromSnapshot: id('from_snapshot').notNull(),
    value: text('value'),
    source: text('source').notNull(),
  },
  (t) => [
    // A source's versions after a checkpoint are one range of this index (no clustered tables here).
    primaryKey({ columns: [t.cluster, t.source, t.fromSnapshot, t.keyId] }),
    uniqueIndex('fact_versions_key_idx').on(t.keyId, t.fromSnapshot),
    // SQLite's json_extract(value, '$.leaf') (../schema.ts): the hosts placed in one leaf.
    // PostgreSQL 15 has no IS JSON to guard it as SQLite's json_valid does: a zk.roles
    // value that is not JSON is refused here. Only another program can write one (ours
    // writes canonical JSON); refused, it changes nothing already stored.
    index('fact_versions_leaf_idx')
      .on(t.cluster, sql`((value::jsonb) ->> 'leaf')`, t.fromSnapshot)
      .where(sql`source = 'zk.roles'`),
  ],
);

/** The whole state of one source as of one snapshot (../checkpoint-format.ts). */
export const stateCheckpoints = pgTable(
  'state_checkpoints',
  {
    cluster: integer('cluster').notNull(),
    source: text('source').notNull(),
    snapshotId: id('snapshot_id').notNull(),
    facts: integer('facts').notNull(),
    state: bytea('state').notNull(),
    summary: bytea('summary'),
  },
  (t) => [
    primaryKey({ columns: [t.cluster, t.source, t.snapshotId] }),
    foreignKey({ columns: [t.cluster, t.snapshotId], foreignColumns: [snapshots.cluster, snapshots.id] }).onDelete('cascade'),
  ],
);

export const meta = pgTable(
  'meta',
  {
    cluster: integer('cluster').notNull(),
    key: text('key').notNull(),
    value: text('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.cluster, t.key] })],
);

/**
 * PostgreSQL only (no SQLite twin; test/unit/store/pg-schema.test.ts names it):
 * the collector lease of each cluster (pg-lease.ts). One `treesnap run` holds
 * it; `fence` grows by one at every change of holder and is checked inside each
 * write, so an ex-holder (paused, cut off) can never write after losing it.
 * Times are the server's clock in epoch ms: collectors' clocks never compare.
 */
export const collectorLeases = pgTable('collector_leases', {
  cluster: text('cluster').primaryKey(),
  holder: text('holder').notNull(),
  /** The backend of the holder's lease session: gone (killed, cut off) frees the lease at once. */
  holderPid: integer('holder_pid').notNull(),
  fence: id('fence').notNull(),
  expiresAt: id('expires_at').notNull(),
  /** The scheduled time of the last tick written under the lease: a tick is written once, whoever holds it. */
  lastTick: id('last_tick'),
});
