// Facts about the history file as a whole: its extent, its size, the last
// complete collection, and dropping a derived source (rebuilt by its writer).
import type { DerivedSource } from '../snapshot/source-name.js';
import type { Db } from './db.js';
import { codeOf } from './source-codes.js';

/** The first and last snapshot ids (0 and 0 when there is none). */
export function snapshotIdRange(db: Db): { first: number; last: number } {
  const r = db.$client.prepare('SELECT min(id) AS first, max(id) AS last FROM snapshots WHERE cluster = current_cluster()').get() as { first: number | null; last: number | null };
  return { first: r.first ?? 0, last: r.last ?? 0 };
}

/** The end of the last collection in which every source was read; null if none. */
export function lastCompleteFinishedAt(db: Db): number | null {
  return db.$client.prepare('SELECT max(finished_at) FROM snapshots WHERE cluster = current_cluster() AND failed_sources = 0').pluck().get() as number | null;
}

/** Pages in use and free. */
export function databaseSizeBytes(db: Db): number {
  const c = db.$client;
  return (c.pragma('page_count', { simple: true }) as number) * (c.pragma('page_size', { simple: true }) as number);
}

/** Every version, checkpoint and key of a derived source, inside the caller's write transaction. */
export function clearDerivedSource(db: Db, source: DerivedSource): void {
  // fact_versions names its source by code (source-codes.ts), the other two by name.
  db.$client.prepare(`DELETE FROM fact_versions WHERE cluster = current_cluster() AND source = ${codeOf('?')}`).run(source);
  for (const table of ['state_checkpoints', 'fact_keys']) {
    db.$client.prepare(`DELETE FROM ${table} WHERE cluster = current_cluster() AND source = ?`).run(source);
  }
}

/** Closes the history; closing it twice is harmless (cleanup paths may both try). */
export function closeDatabase(db: Db): void {
  if (db.$client.open) db.$client.close();
}
