// Reads what one source's facts were as of a snapshot: its latest checkpoint
// at or before it, plus the net change since (each key's last version after
// the checkpoint; fewer versions than the state has facts, by the checkpoint
// rule). The cost follows the size of the state, never the length of the
// history or of one key's history.
import { factKey, type FactKind } from '../snapshot/fact.js';
import { isSummarized, summarizeValue } from '../snapshot/fact-summary.js';
import type { SourceName } from '../snapshot/source-name.js';
import { applyVersions } from './apply-versions.js';
import type { StoredFact } from './checkpoint-format.js';
import type { Db } from './open-database.js';
import { checkpointAt, netChanges } from './state-checkpoints.js';

export type { StoredFact } from './checkpoint-format.js';

export interface StateOptions {
  /** Only facts of this kind. */
  kind?: FactKind;
  /** Registrations as their summary (address only): what tree views and drift checks read. */
  summaries?: boolean;
}

/** Facts of `source` holding at `snapshotId`. */
export function readSourceState(db: Db, source: SourceName, snapshotId: number, opts: StateOptions = {}): StoredFact[] {
  const summaries = opts.summaries ?? false;
  // One read transaction: a prune committing between the two reads cannot mix two histories.
  const facts = db.$client
    .transaction(() => {
      const checkpoint = checkpointAt(db, source, snapshotId, summaries);
      const versions = netChanges(db, source, checkpoint?.snapshotId ?? 0, snapshotId);
      if (summaries) for (const v of versions) if (v.value !== null && isSummarized(v.kind)) v.value = summarizeValue(v.kind, v.value);
      return applyVersions(checkpoint?.facts ?? [], versions);
    })
    .deferred();
  return opts.kind ? facts.filter((f) => f.kind === opts.kind) : facts;
}

/** The same as a map from fact key to canonical JSON, the shape the planner takes. */
export function readSourceStateMap(db: Db, source: SourceName, snapshotId: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readSourceState(db, source, snapshotId)) out.set(factKey(f.kind, f.entity), f.value);
  return out;
}
