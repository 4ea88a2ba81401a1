// A derived source's record written through the store's contract (the drift
// record, src/record/record-drift.ts, on an engine whose writes are async):
// the versions derived for each snapshot and the mark in `meta` saying how far
// the record reaches, in one write transaction, and only if the mark is still
// the one the record was derived from. Two writers that derived the same
// snapshots (a collector and a `collect` run, or a collector that lost its
// lease) then record them once: the second finds the mark moved and writes nothing.
import type { VersionWrite } from '../snapshot/plan-versions.js';
import type { DerivedSource } from '../snapshot/source-name.js';
import type { Db } from './db.js';
import { clearDerivedSource } from './history-facts.js';
import { insertVersions } from './insert-snapshot-rows.js';
import { readMeta, writeMeta } from './meta.js';
import { withWriteTransaction } from './write-transaction.js';

export interface DerivedRecord {
  source: DerivedSource;
  /** The meta record of how far the record reaches: the value it was derived from (undefined: none yet) and the one it moves to. */
  mark: { key: string; from: string | undefined; to: string };
  /** Every version of the source is dropped first (the record was made by another version of the checks). */
  clear: boolean;
  /** The versions derived per snapshot, oldest first. */
  snapshots: readonly { snapshotId: number; writes: readonly VersionWrite[] }[];
}

/** Writes `r` if its mark still stands (true), or nothing (false). */
export function writeDerivedRecord(db: Db, r: DerivedRecord): boolean {
  return withWriteTransaction(db, () => {
    if (readMeta(db, r.mark.key) !== r.mark.from) return false;
    if (r.clear) clearDerivedSource(db, r.source);
    for (const s of r.snapshots) insertVersions(db, s.snapshotId, r.source, s.writes);
    writeMeta(db, r.mark.key, r.mark.to);
    return true;
  });
}
