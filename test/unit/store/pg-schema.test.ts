// The two stores' schemas stay in step (src/store/schema.ts for SQLite,
// src/store/postgres/schema.ts for PostgreSQL): the same tables, and in each the
// same columns (name, nullability, JS type), primary key, unique and plain
// indexes, and foreign keys, but for the tables and columns named below with
// why. Column types differ by engine on purpose; what a reader gets back
// (number, string, boolean) must not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getTableConfig as pgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as pgSchema from '../../../src/store/postgres/schema.js';
import * as sqliteSchema from '../../../src/store/schema.js';

interface Shape {
  columns: string[];
  primaryKey: string[];
  uniqueIndexes: string[];
  indexes: string[];
  foreignKeys: string[];
}

/** The JS type a column reads as; PostgreSQL's bytea is a drizzle custom type, read as a Buffer like SQLite's blob. */
function jsType(col: { dataType: string; getSQLType(): string }): string {
  return col.dataType === 'custom' && col.getSQLType() === 'bytea' ? 'buffer' : col.dataType;
}

type Config = ReturnType<typeof pgTableConfig> | ReturnType<typeof sqliteTableConfig>;

function shape(c: Config): Shape {
  const inlinePk = c.columns.filter((col) => col.primary).map((col) => col.name);
  const compositePk = c.primaryKeys.flatMap((pk) => pk.columns.map((col) => col.name));
  const index = (unique: boolean) =>
    c.indexes
      .filter((i) => i.config.unique === unique)
      .map((i) => `${i.config.name} (${i.config.columns.map((col) => (col as { name: string }).name).join(', ')})`)
      .sort();
  return {
    columns: c.columns.map((col) => `${col.name} ${jsType(col)}${col.notNull ? ' not null' : ''}`).sort(),
    primaryKey: [...inlinePk, ...compositePk],
    uniqueIndexes: index(true),
    indexes: index(false),
    foreignKeys: c.foreignKeys
      .map((fk) => {
        const r = fk.reference();
        const target = r.foreignTable as unknown as PgTable & SQLiteTable;
        const name = target instanceof PgTable ? pgTableConfig(target).name : sqliteTableConfig(target).name;
        return `${r.columns.map((col) => col.name).join(', ')} -> ${name}(${r.foreignColumns.map((col) => col.name).join(', ')}) on delete ${fk.onDelete ?? 'no action'}`;
      })
      .sort(),
  };
}

function shapes<T>(schema: Record<string, unknown>, isTable: (x: unknown) => x is T, config: (t: T) => Config): Map<string, Shape> {
  const out = new Map<string, Shape>();
  for (const value of Object.values(schema)) {
    if (!isTable(value)) continue;
    const c = config(value);
    out.set(c.name, shape(c));
  }
  return out;
}

const sqlite = shapes(sqliteSchema, (x): x is SQLiteTable => x instanceof SQLiteTable, sqliteTableConfig);
const pg = shapes(pgSchema, (x): x is PgTable => x instanceof PgTable, pgTableConfig);

// Tables only PostgreSQL has, and why; every other table is in both.
const PG_ONLY: Record<string, string> = {
  // Failover between collectors of one server (src/store/postgres/pg-lease.ts): a SQLite file has one machine's writers.
  collector_leases: 'the collector lease',
};

// And the other way round.
const SQLITE_ONLY: Record<string, string> = {
  // A file stores the source of each version and outcome row as a small integer (src/store/source-codes.ts); a server keeps the name.
  source_codes: "the sources' codes",
  // A watched path's running count of changes (src/store/watch-totals.ts); a server counts a range's events in SQL (pg-reader.ts).
  watch_totals: "the watched paths' running counts",
};

// Columns that hold a source's code on SQLite and its name on PostgreSQL; both stores read them back as the name.
const SOURCE_AS_CODE = new Set(['fact_versions', 'snapshot_sources']);

function asRead(table: string, s: Shape): Shape {
  return SOURCE_AS_CODE.has(table) ? { ...s, columns: s.columns.map((c) => (c === 'source number not null' ? 'source string not null' : c)).sort() } : s;
}

test('both schemas have the same tables, but for the ones of one engine named here', () => {
  assert.ok(sqlite.size >= 6, 'the SQLite schema was read');
  const shared = [...pg.keys()].filter((t) => !(t in PG_ONLY));
  assert.deepEqual(shared.sort(), [...sqlite.keys()].filter((t) => !(t in SQLITE_ONLY)).sort());
  for (const t of Object.keys(PG_ONLY)) assert.ok(pg.has(t) && !sqlite.has(t), `${t}: in the PostgreSQL schema only`);
  for (const t of Object.keys(SQLITE_ONLY)) assert.ok(sqlite.has(t) && !pg.has(t), `${t}: in the SQLite schema only`);
});

for (const [table, want] of sqlite) {
  if (table in SQLITE_ONLY) continue;
  test(`${table}: the same columns, keys and indexes on PostgreSQL as on SQLite`, () => {
    const got = pg.get(table);
    assert.ok(got, `no table ${table} in the PostgreSQL schema`);
    assert.deepEqual(got, asRead(table, want));
  });
}
