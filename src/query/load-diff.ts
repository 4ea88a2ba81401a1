// `diff A B` (I/O glue): the facts with a version between A and B (through the
// from_snapshot index), their values at A and at B, and the few service
// member facts leaders need. Cost follows the number of changed facts.
import type { MemberValue } from '../snapshot/fact.js';
import type { SourceName } from '../snapshot/source-name.js';
import { changedKeys, type Db, readSourceFacts, type SnapshotRow } from '../store/index.js';
import { diffFacts, type DiffResult } from './diff.js';
import { loadKnowledge } from './load-cluster-facts.js';
import type { SnapshotMark } from '../model/snapshot-mark.js';
import { byKind } from './tree-from-facts.js';

export interface DiffReport extends DiffResult {
  from: SnapshotMark;
  to: SnapshotMark;
}

function members(db: Db, snapshotId: number): Map<string, MemberValue> {
  return byKind<MemberValue>(readSourceFacts(db, 'zk.services', snapshotId), 'member');
}

export function loadDiff(db: Db, from: SnapshotRow, to: SnapshotRow, sources: readonly SourceName[]): DiffReport {
  const deltas = changedKeys(db, from.id, to.id, sources).map((c) => ({
    source: c.source,
    kind: c.kind,
    entity: c.entity,
    before: c.before === null ? null : JSON.parse(c.before),
    after: c.after === null ? null : JSON.parse(c.after),
  }));
  const result = diffFacts({
    sources,
    deltas,
    members: sources.includes('zk.services') ? { before: members(db, from.id), after: members(db, to.id) } : null,
    knowledge: { from: loadKnowledge(db, from.id), to: loadKnowledge(db, to.id) },
  });
  return { from: { id: from.id, startedAt: from.startedAt }, to: { id: to.id, startedAt: to.startedAt }, ...result };
}
