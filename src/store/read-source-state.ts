// Reads what one source's facts were as of a snapshot. Each key costs one
// descent of the fact_versions primary key (key_id, from_snapshot), so the
// cost follows the number of keys of that source, never the history length.
import type Database from 'better-sqlite3';
import { factKey, type FactKind } from '../snapshot/fact.js';
import type { SourceName } from '../snapshot/source-name.js';
import type { Db } from './open-database.js';

export interface StoredFact {
  kind: FactKind;
  entity: string;
  /** canonical JSON */
  value: string;
}

const STATE_SQL = `
  SELECT k.kind AS kind, k.entity AS entity, v.value AS value
  FROM fact_keys k
  JOIN fact_versions v ON v.key_id = k.id AND v.from_snapshot = (
    SELECT max(from_snapshot) FROM fact_versions WHERE key_id = k.id AND from_snapshot <= ?
  )
  WHERE k.source = ? AND v.value IS NOT NULL`;

const KIND_STATE_SQL = `${STATE_SQL} AND k.kind = ?`;

const statements = new WeakMap<Database.Database, { all: Database.Statement; kind: Database.Statement }>();

function prepared(db: Db): { all: Database.Statement; kind: Database.Statement } {
  let s = statements.get(db.$client);
  if (!s) {
    s = { all: db.$client.prepare(STATE_SQL), kind: db.$client.prepare(KIND_STATE_SQL) };
    statements.set(db.$client, s);
  }
  return s;
}

/** Facts of `source` holding at `snapshotId` (optionally of one kind). */
export function readSourceState(db: Db, source: SourceName, snapshotId: number, kind?: FactKind): StoredFact[] {
  const s = prepared(db);
  return (kind ? s.kind.all(snapshotId, source, kind) : s.all.all(snapshotId, source)) as StoredFact[];
}

/** The same as a map from fact key to canonical JSON, the shape the planner takes. */
export function readSourceStateMap(db: Db, source: SourceName, snapshotId: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readSourceState(db, source, snapshotId)) out.set(factKey(f.kind, f.entity), f.value);
  return out;
}
