// The metrics `treesnap run` exposes and how each tick updates them. Gauges
// about the cluster (nodes per status, hosts missing, drift) describe the
// latest snapshot as stored: a source unknown in that tick keeps its last
// known values, exactly as the history does, and treesnap_source_up says
// which sources were read. Alert on treesnap_source_up and on
// time() - treesnap_last_success_timestamp_seconds.
import type { NodeStatus } from '../model/status.js';
import type { ClusterFacts } from '../query/cluster-facts.js';
import { DRIFT_KINDS, type DriftResult } from '../query/drift.js';
import { driftGauges } from '../query/drift-alerting.js';
import type { HeadDrift } from '../record/index.js';
import { SOURCES, type SourceName } from '../snapshot/source-name.js';
import { MetricsRegistry } from './metrics-registry.js';
import type { TickReport } from './run-tick.js';
import { TICK_OUTCOMES } from './tick-outcome.js';

const NODE_STATUSES: readonly NodeStatus[] = ['ONLINE', 'OFFLINE', 'ERROR', 'UNKNOWN'];

export type SkipReason = 'overlap' | 'missed';

/** What the drift gauges need of a judged snapshot (load-settled-drift.ts): the items by verdict, and the expired rules. */
export interface DriftVerdicts {
  drift: readonly { kind: string }[];
  settling: readonly { kind: string }[];
  ignored: readonly { kind: string }[];
  expiredRules: readonly unknown[];
}

/** What the store already knows at startup, so a restart does not reset "last success" to never. */
export interface MetricsSeed {
  lastSuccessAt: number | null;
  sourceLastSuccessAt: Partial<Record<SourceName, number>>;
}

const seconds = (ms: number) => ms / 1000;

export class DaemonMetrics {
  readonly registry = new MetricsRegistry();
  private readonly r = this.registry;

  private readonly collections = this.r.counter('treesnap_collections_total', 'Ticks recorded, by outcome (complete, partial, unavailable, abandoned, backoff, crashed).', ['outcome']);
  private readonly skipped = this.r.counter('treesnap_ticks_skipped_total', 'Ticks not run: overlap (a collection was still running) or missed (event loop blocked).', ['reason']);
  private readonly writeFailures = this.r.counter('treesnap_store_write_failures_total', 'Ticks that could not be recorded (database locked, read-only, full).');
  private readonly lastCollection = this.r.gauge('treesnap_last_collection_timestamp_seconds', 'End of the last recorded tick (any outcome).');
  private readonly lastSuccess = this.r.gauge('treesnap_last_success_timestamp_seconds', 'End of the last collection in which every source was read; 0 if none yet.');
  private readonly lastSnapshot = this.r.gauge('treesnap_last_snapshot_id', 'Id of the last snapshot this daemon recorded.');
  private readonly duration = this.r.gauge('treesnap_collection_duration_seconds', 'Duration of the last collection.');
  private readonly sourceUp = this.r.gauge('treesnap_source_up', '1 if the source was read in the last recorded tick, else 0 (its values below are then as last known).', ['source']);
  private readonly sourceDuration = this.r.gauge('treesnap_source_duration_seconds', 'How long the source took in the last collection that attempted it.', ['source']);
  private readonly sourceLastSuccess = this.r.gauge('treesnap_source_last_success_timestamp_seconds', 'End of the last collection in which the source was read; 0 if none yet.', ['source']);
  private readonly sourceErrors = this.r.counter('treesnap_source_errors_total', 'Ticks in which the source was unknown, by error kind.', ['source', 'kind']);
  private readonly nodes = this.r.gauge('treesnap_nodes', 'Nodes (hosts and the root scheduler) per probed status (online, offline, error, unknown), as last known.', ['status']);
  private readonly missing = this.r.gauge('treesnap_hosts_missing', 'Hosts listed under /missing in ZooKeeper, as last known.');
  private readonly registered = this.r.gauge('treesnap_hosts_registered', 'Hosts registered under /hosts in ZooKeeper, as last known.');
  private readonly drift = this.r.gauge(
    'treesnap_drift_items',
    'Drift in the last snapshot that `treesnap drift` exits 3 on, by kind: settled (older than its settle window), not ignored, between sources read in it.',
    ['kind'],
  );
  private readonly settling = this.r.gauge('treesnap_drift_settling_items', 'Disagreements in the last snapshot younger than their settle window (converging, not drift yet), by kind.', ['kind']);
  private readonly ignored = this.r.gauge('treesnap_drift_ignored_items', 'Settled drift in the last snapshot that an ignore rule matches, by kind.', ['kind']);
  private readonly expiredRules = this.r.gauge('treesnap_ignore_rules_expired', 'Ignore rules past their until date (they no longer match).');
  private readonly cannotCompare = this.r.gauge('treesnap_drift_cannot_compare', 'Checks in the last snapshot that involve a source unknown in it.');
  private readonly watches = this.r.gauge('treesnap_watches', "ZooKeeper watches the daemon's watcher holds (0 while it has no session, and with --no-watch).");
  private readonly watchGapOpen = this.r.gauge('treesnap_watch_gap_open', '1 while changes are not watched (no watcher session, ZooKeeper silent or expired), else 0.');
  private readonly watchEvents = this.r.counter('treesnap_watch_events_total', 'Changes the watcher saw between ticks.');
  private readonly watchGaps = this.r.counter('treesnap_watch_gaps_total', 'Gaps in the watched record (each recorded as "changes not watched from T1 to T2").');
  private readonly backoffActive = this.r.gauge('treesnap_backoff_active', '1 while collections are attempted only every few ticks because recent ones read nothing.');
  private readonly failedAttempts = this.r.gauge('treesnap_consecutive_failed_collections', 'Attempted collections in a row that read nothing.');
  private readonly pruned = this.r.counter('treesnap_pruned_snapshots_total', 'Snapshots dropped by --retain.');
  private readonly dbSize = this.r.gauge('treesnap_database_size_bytes', 'Size of the history file (pages in use and free).');
  private readonly rss = this.r.gauge('process_resident_memory_bytes', 'Resident memory of the daemon process.');
  private readonly heap = this.r.gauge('nodejs_heap_used_bytes', 'V8 heap in use (the main thread).');
  private readonly heapTotal = this.r.gauge('nodejs_heap_total_bytes', 'V8 heap reserved (the main thread): in use and garbage not yet collected.');
  private readonly external = this.r.gauge('nodejs_external_memory_bytes', 'Memory outside the V8 heap held by its objects (buffers), the main thread.');
  private readonly startTime = this.r.gauge('process_start_time_seconds', 'When the daemon started.');

  constructor(seed: MetricsSeed, startedAt: number) {
    for (const o of TICK_OUTCOMES) this.collections.touch({ outcome: o });
    for (const reason of ['overlap', 'missed']) this.skipped.touch({ reason });
    this.writeFailures.touch({});
    this.watchEvents.touch({});
    this.watchGaps.touch({});
    this.pruned.touch({});
    this.lastSuccess.set({}, seed.lastSuccessAt === null ? 0 : seconds(seed.lastSuccessAt));
    for (const source of SOURCES) {
      const at = seed.sourceLastSuccessAt[source];
      this.sourceLastSuccess.set({ source }, at === undefined ? 0 : seconds(at));
    }
    this.startTime.set({}, seconds(startedAt));
    this.setBackoff(false, 0);
  }

  /** A tick that could not be written: the history did not change, only the failure is counted. */
  recordWriteFailure(): void {
    this.writeFailures.inc({});
  }

  /** `head`: the facts and drift the record stage holds after this tick (null: its drift could not be recorded; the cluster gauges stay). */
  recordTick(report: Extract<TickReport, { recorded: true }>, head: Pick<HeadDrift, 'facts' | 'drift'> | null): void {
    const { summary, observation } = report;
    const endedAt = seconds(observation.finishedAt);
    this.collections.inc({ outcome: report.outcome });
    this.lastCollection.set({}, endedAt);
    this.lastSnapshot.set({}, summary.snapshotId);
    this.duration.set({}, seconds(summary.durationMs));
    if (summary.failedSources.length === 0) this.lastSuccess.set({}, endedAt);
    for (const s of summary.sources) {
      this.sourceUp.set({ source: s.source }, s.ok ? 1 : 0);
      if (report.outcome !== 'backoff') this.sourceDuration.set({ source: s.source }, seconds(s.durationMs));
      if (s.ok) this.sourceLastSuccess.set({ source: s.source }, endedAt);
      else this.sourceErrors.inc({ source: s.source, kind: errorKind(s.error) });
    }
    if (head) this.setClusterGauges(head.facts, head.drift);
  }

  setClusterGauges(facts: ClusterFacts, drift: DriftResult): void {
    const perStatus = new Map<string, number>(NODE_STATUSES.map((s) => [s, 0]));
    for (const v of facts.status.values()) perStatus.set(v.status, (perStatus.get(v.status) ?? 0) + 1);
    for (const [status, n] of perStatus) this.nodes.set({ status: status.toLowerCase() }, n);
    this.missing.set({}, facts.missing.size);
    this.registered.set({}, facts.registrations.size);
    this.cannotCompare.set({}, drift.cannotCompare.length);
    // Until the verdicts of this snapshot are known, every item counts as drift (as with --settle 0s).
    this.setDriftVerdicts({ drift: drift.drift, settling: [], ignored: [], expiredRules: [] });
  }

  /** The last snapshot's drift as `treesnap drift` judges it: settled, settling, ignored (every kind, zeros included). */
  setDriftVerdicts(v: DriftVerdicts): void {
    const gauges = { settled: this.drift, settling: this.settling, ignored: this.ignored };
    const items = { settled: v.drift, settling: v.settling, ignored: v.ignored };
    for (const g of driftGauges(DRIFT_KINDS, items)) gauges[g.state].set({ kind: g.kind }, g.value);
    this.expiredRules.set({}, v.expiredRules.length);
  }

  /** The watcher's state: watches held after a (re)load, a gap opened (`open`) or closed, an event seen. */
  watchLoaded(watches: number): void {
    this.watches.set({}, watches);
  }

  watchGap(open: boolean): void {
    this.watchGapOpen.set({}, open ? 1 : 0);
    if (open) {
      this.watchGaps.inc({});
      this.watches.set({}, 0);
    }
  }

  /** No watcher runs (`--no-watch`): no watcher metrics, and no watches. */
  noWatcher(): void {
    for (const name of ['treesnap_watch_gap_open', 'treesnap_watch_events_total', 'treesnap_watch_gaps_total']) this.r.unregister(name);
    this.watches.set({}, 0);
  }

  watchEvent(): void {
    this.watchEvents.inc({});
  }

  recordSkip(reason: SkipReason): void {
    this.skipped.inc({ reason });
  }

  recordPrune(snapshots: number): void {
    this.pruned.inc({}, snapshots);
  }

  setBackoff(active: boolean, failedAttempts: number): void {
    this.backoffActive.set({}, active ? 1 : 0);
    this.failedAttempts.set({}, failedAttempts);
  }

  setDatabaseSize(bytes: number): void {
    this.dbSize.set({}, bytes);
  }

  render(): string {
    const mem = process.memoryUsage();
    this.rss.set({}, mem.rss);
    this.heap.set({}, mem.heapUsed);
    this.heapTotal.set({}, mem.heapTotal);
    this.external.set({}, mem.external);
    return this.registry.render();
  }
}

/** The summary's error reads "kind: message". */
function errorKind(error: string | null): string {
  if (!error) return 'unknown';
  const at = error.indexOf(':');
  return at > 0 ? error.slice(0, at) : 'unknown';
}
