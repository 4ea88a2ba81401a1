// What the query layer answers about one snapshot (its store digest, the
// `show` view, `drift`, and `diff` from the first snapshot), hashed: once a
// snapshot is committed this must never change, whatever is written after it.
import { createHash } from 'node:crypto';
import { loadDiff } from '../../src/query/load-diff.js';
import { loadDrift } from '../../src/query/load-drift.js';
import { loadSnapshotView } from '../../src/query/load-snapshot.js';
import { SOURCES } from '../../src/snapshot/source-name.js';
import type { SqliteHistory } from '../../src/store/open-database.js';
import { snapshotById } from '../../src/store/snapshot-index.js';
import { snapshotDigest } from './snapshot-digest.js';

export function snapshotFingerprint(db: SqliteHistory, snapshotId: number): string {
  const row = snapshotById(db, snapshotId);
  const first = snapshotById(db, 1);
  if (!row || !first) throw new Error(`no snapshot #${snapshotId}`);
  const h = createHash('sha256');
  h.update(snapshotDigest(db, snapshotId));
  h.update(JSON.stringify(loadSnapshotView(db, row)));
  h.update(JSON.stringify(loadDrift(db, row)));
  h.update(JSON.stringify(loadDiff(db, first, row, SOURCES)));
  return h.digest('hex');
}
