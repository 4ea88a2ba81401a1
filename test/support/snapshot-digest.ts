// A digest of everything one snapshot reads back as, to prove it unchanged.
import { createHash } from 'node:crypto';
import type { Db } from '../../src/store/open-database.js';
import { readSourceState } from '../../src/store/read-source-state.js';
import { sourceOutcomes } from '../../src/store/snapshot-index.js';
import { SOURCES } from '../../src/snapshot/source-name.js';

export function snapshotDigest(db: Db, snapshotId: number): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(sourceOutcomes(db, snapshotId).sort((a, b) => (a.source < b.source ? -1 : 1))));
  for (const source of SOURCES) {
    const facts = readSourceState(db, source, snapshotId).sort((a, b) =>
      a.kind === b.kind ? (a.entity < b.entity ? -1 : 1) : a.kind < b.kind ? -1 : 1,
    );
    h.update(JSON.stringify(facts));
  }
  return h.digest('hex');
}
