// What a post-incident report says about a window of history (pure data).
// Built from query results by build-report.ts; both renderers (HTML and
// Markdown) draw every fact they print from this one model.
import type { Endpoint } from '../model/ids.js';
import type { NodeStatus } from '../model/status.js';
import type { DiffReport } from '../query/load-diff.js';
import type { DriftEpisode } from '../query/drift-history.js';
import type { DriftKind } from '../query/drift.js';
import type { MissingEpisode } from '../query/missing-episodes.js';
import type { DurationBounds, SnapshotMark, TimeBounds } from '../model/snapshot-mark.js';
import type { SourceName } from '../snapshot/source-name.js';
import type { BlastRadius } from '../query/blast-radius.js';

/** complete: every source read; partial: some failed; unavailable: none read. */
export type CollectionOutcome = 'complete' | 'partial' | 'unavailable';

/** One collection of the window, as the chart plots it. */
export interface SeriesPoint {
  snapshot: SnapshotMark;
  outcome: CollectionOutcome;
  failedSources: SourceName[];
  /** Hosts listed in /missing; null: /missing was not read in this collection (unknown, not zero). */
  missing: number | null;
  /** Nodes probed OFFLINE (hosts and the root scheduler); null: status was not read. */
  offline: number | null;
  /** Drift episodes open at this collection (started by it, not yet seen ended). */
  drift: number;
  /** Services whose leader changed by this collection. */
  leaderChanges: string[];
}

/** A run of consecutive collections in which one source could not be read. */
export interface SourceOutage {
  source: SourceName;
  from: SnapshotMark;
  to: SnapshotMark;
  collections: number;
  /** The first failure's "kind: message". */
  error: string;
}

export interface SourceAvailability {
  source: SourceName;
  ok: number;
  failed: number;
  /** Failed reads by error kind, most frequent first. */
  errorKinds: { kind: string; count: number }[];
}

/** A node's run of one probe verdict other than ONLINE. */
export interface StatusEpisode {
  node: string;
  status: Exclude<NodeStatus, 'ONLINE'>;
  /** after: null when it already held at the window's first collection. */
  start: TimeBounds;
  lastSeen: SnapshotMark;
  /** The first status read with another verdict; null: still so at the window's end. */
  endBy: SnapshotMark | null;
  /** The verdict it changed to (null: no longer probed); absent while open. */
  endedAs?: NodeStatus | null;
  duration: DurationBounds;
}

export interface LeaderChange {
  service: string;
  at: TimeBounds;
  before: Endpoint | null;
  after: Endpoint | null;
}

export interface TreeHost {
  id: string;
  status: NodeStatus | null;
  missing: boolean;
  registered: boolean;
  /** What changed about it between the window's first and last collection (empty: nothing). */
  changes: string[];
}

export interface TreeLeaf {
  id: string;
  owner: string | null;
  address: Endpoint | null;
  hosts: TreeHost[];
  /** Changes to the leaf itself (added, removed, owner, address). */
  changes: string[];
}

/** One source's tree at one end of the window. */
export interface TreeSide {
  snapshot: SnapshotMark;
  /** false: the source was not read there; the tree is as last read in lastOkSnapshot. */
  known: boolean;
  error: string | null;
  lastOkSnapshot: number | null;
  rootAddress: Endpoint | null;
  rootStatus: NodeStatus | null;
  leaves: TreeLeaf[];
}

export interface TreeComparison {
  source: 'zk.roles' | 'chairman';
  start: TreeSide;
  end: TreeSide;
}

export interface ReportSummary {
  collections: number;
  outcomes: Record<CollectionOutcome, number>;
  sources: SourceAvailability[];
  /** Hosts with a /missing episode overlapping the window, in order of first episode. */
  missingHosts: string[];
  /** Still missing as of the last /missing read (see missingUnknownAtEnd). */
  stillMissing: string[];
  /** /missing was not read at the window's last collection. */
  missingUnknownAtEnd: boolean;
  /** Nodes probed OFFLINE at some collection of the window, in order of first episode. */
  offlineNodes: string[];
  stillOffline: string[];
  drift: { episodes: number; open: number; byKind: Partial<Record<DriftKind, number>> };
  /** The missing hosts and the hosts drift affects, per leaf and zone (blast-radius.ts). */
  missingBlastRadius: BlastRadius;
  driftBlastRadius: BlastRadius;
  leaderChanges: number;
  /** Every change the timeline saw in the window, by category (and source_unknown / source_recovered). */
  changes: { total: number; counts: Record<string, number> };
}

export interface ReportModel {
  window: { first: SnapshotMark; last: SnapshotMark };
  summary: ReportSummary;
  series: SeriesPoint[];
  outages: SourceOutage[];
  missingEpisodes: MissingEpisode[];
  statusEpisodes: StatusEpisode[];
  driftEpisodes: DriftEpisode[];
  leaderChanges: LeaderChange[];
  trees: TreeComparison[];
  /** Net differences between the window's first and last collection, per source. */
  differences: DiffReport;
}
