// The cluster's facts as of the daemon's latest snapshot, kept in memory and
// advanced with the versions each write produced, so that drift and gauges
// cost in proportion to what changed, not to the cluster's size in reads.
// When the snapshot written is not the one right after the last applied (a
// `treesnap collect` from cron wrote in between), it reloads from the store.
import { applyFactChange, emptyClusterFacts, type ClusterFacts } from '../query/cluster-facts.js';
import { loadClusterFacts } from '../query/load-cluster-facts.js';
import type { Db } from '../store/open-database.js';
import type { WriteResult } from '../store/write-snapshot.js';

function latestSnapshotId(db: Db): number | null {
  return db.$client.prepare('SELECT max(id) FROM snapshots').pluck().get() as number | null;
}

function loadFacts(db: Db, snapshotId: number | null): ClusterFacts {
  return snapshotId === null ? emptyClusterFacts() : loadClusterFacts(db, snapshotId);
}

export class LiveClusterFacts {
  private constructor(
    private facts: ClusterFacts,
    private at: number | null,
  ) {}

  static load(db: Db): LiveClusterFacts {
    const at = latestSnapshotId(db);
    return new LiveClusterFacts(loadFacts(db, at), at);
  }

  /** Brings the facts to the snapshot just written and returns them. */
  advance(db: Db, written: WriteResult): ClusterFacts {
    if (written.snapshotId !== (this.at ?? 0) + 1) {
      this.facts = loadFacts(db, written.snapshotId);
    } else {
      for (const w of written.written) {
        applyFactChange(this.facts, { source: w.source, kind: w.kind, entity: w.entity, value: w.value === null ? null : JSON.parse(w.value) });
      }
    }
    this.at = written.snapshotId;
    return this.facts;
  }

  get current(): ClusterFacts {
    return this.facts;
  }
}
