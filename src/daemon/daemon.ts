// `treesnap run`: the daemon's life cycle. Startup wires the parts and fails
// fast (the caller has already validated the configuration and opened the
// database); each tick runs through the tick loop (never two at once); stop()
// lets the running collection finish within stopTimeoutMs, abandons it past
// that (or at a second stop), then closes the worker, the metrics server and
// the database, in that order.
import type { CollectOptions } from '../collect/collect.js';
import { UsageError } from '../errors.js';
import { formatDuration } from '../util/time.js';
import { recordedHead, type HeadDrift, type RecordedCollection } from '../record/index.js';
import { closeDatabase, databaseSizeBytes, type Db, type HistoryReader, type HistoryStore, pruneHistory, type SqliteHistory, sqliteReader } from '../store/index.js';
import { CollectorLease, type LeaseOptions } from './collector-lease.js';
import { LeaseMetrics } from './lease-metrics.js';
import { pgTickWriter } from './pg-tick-writer.js';
import { sqliteTickWriter, type TickWriter } from './tick-writer.js';
import { loadSettledDrift } from '../query/load-settled-drift.js';
import { utcDate } from '../query/drift-verdicts.js';
import { DEFAULT_SETTLE_MS, type SettleConfig } from '../query/settling.js';
import type { IgnoreRule } from '../query/ignore-rules.js';
import { CollectionBackoff, type BackoffPolicy } from './collection-backoff.js';
import type { CronSchedule } from './cron-schedule.js';
import { DaemonMetrics } from './daemon-metrics.js';
import { HistoryUpkeep, type UpkeepConfig } from './history-upkeep.js';
import type { Logger } from './logger.js';
import { readMetricsSeed } from './metrics-seed.js';
import { startMetricsServer, type MetricsServer } from './metrics-server.js';
import { RetentionTimer } from './retention-timer.js';
import { runTick, type TickReport } from './run-tick.js';
import { tickLogFields, tickLogLevel } from './tick-log.js';
import { TickLoop, type Tick } from './tick-loop.js';
import type { TickSource } from './tick-source.js';
import type { Collector } from './collector.js';
import { WatchBuffer } from './watch-buffer.js';
import { ZkWatcher } from '../sources/zookeeper/zk-watcher.js';

export interface DaemonConfig {
  schedule: CronSchedule;
  budgetMs: number;
  /** How long stop() waits for a running collection before abandoning it. */
  stopTimeoutMs: number;
  /** Drop history older than this (ms); null keeps everything. */
  retainMs: number | null;
  collect: CollectOptions;
  metrics: { host: string; port: number } | null;
  backoff: BackoffPolicy;
  /** Checks and backups of the history file (history-upkeep.ts); default: a daily check, no backups. */
  upkeep?: UpkeepConfig;
  /** How the drift gauges judge drift, as `treesnap drift` does (default: the 60 s settle window, no ignore rules). */
  drift?: { settle: SettleConfig; rules: readonly IgnoreRule[] };
  /**
   * Keep a ZooKeeper session with watches between ticks (zk-watcher.ts); absent: no watcher.
   * `unwatched`: no watcher either, but every tick records that its interval was not watched, and why.
   */
  watch?: { bufferLimit?: number; unwatched?: string };
}

/** A PostgreSQL history: the store, and the collector lease this daemon collects under (collector-lease.ts). */
export interface PgHistory {
  store: HistoryStore;
  /** The history's reads (the drift record's and the gauges'), on a session of their own. */
  reader: HistoryReader;
  lease: Pick<LeaseOptions, 'cluster' | 'holder' | 'ttlMs'>;
}

export interface DaemonIo {
  /** The SQLite history (a handle and its reads); absent when `postgres` is given. */
  db?: SqliteHistory;
  postgres?: PgHistory;
  logger: Logger;
  collector: Collector;
  ticks: TickSource;
  now?: () => number;
  /** The history file's path, for logs about it. */
  path?: string;
}

export interface RunningDaemon {
  /** Where metrics are served, if they are. */
  metricsUrl: string | null;
  /** First call: stop gracefully. A second call: abandon the running collection now. */
  stop(reason: string): void;
  /** Resolves once everything is closed. */
  done: Promise<void>;
}

function within(p: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void p.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

class Daemon {
  private readonly now: () => number;
  private readonly abort = new AbortController();
  private readonly backoff: CollectionBackoff;
  private readonly retention = new RetentionTimer();
  private readonly loop: TickLoop;
  readonly metrics: DaemonMetrics;
  /** The SQLite file's checks and backups; none on PostgreSQL (the server's own tools do that). */
  private readonly upkeep: HistoryUpkeep | null;
  private readonly writer: TickWriter;
  private readonly lease: CollectorLease | null = null;
  private server: MetricsServer | null = null;
  private readonly watch: WatchBuffer | undefined;
  private watcher: ZkWatcher | null = null;
  private stopping: Promise<void> | null = null;
  private resolveDone!: () => void;
  readonly done = new Promise<void>((resolve) => (this.resolveDone = resolve));

  constructor(
    private readonly config: DaemonConfig,
    private readonly io: DaemonIo,
  ) {
    this.now = io.now ?? Date.now;
    this.backoff = new CollectionBackoff(config.backoff);
    this.metrics = new DaemonMetrics(readMetricsSeed(this.reads()), this.now());
    this.loop = new TickLoop({ run: (t) => this.tick(t), skipped: (at, running) => this.skipped(at, running) });
    this.watch = config.watch ? new WatchBuffer(config.watch.bufferLimit, config.watch.unwatched) : undefined;
    if (io.postgres) {
      const { store, reader, lease } = io.postgres;
      const open = () => store.openLeaseSession!(lease.cluster, lease.holder);
      this.lease = new CollectorLease({ ...lease, open, logger: io.logger, metrics: new LeaseMetrics(this.metrics.registry, lease.holder) });
      // The cluster and drift gauges fill at the first tick this collector writes (a standby records nothing).
      this.writer = pgTickWriter(store, reader, this.lease);
      this.upkeep = null;
      return;
    }
    if (!io.db) throw new Error('the daemon needs a history: db or postgres');
    this.writer = sqliteTickWriter(io.db);
    this.seedClusterGauges(io.db);
    this.metrics.setDatabaseSize(databaseSizeBytes(io.db));
    const upkeep = config.upkeep ?? { verifyEveryMs: 24 * 3_600_000, backup: null };
    this.upkeep = new HistoryUpkeep(upkeep, { db: io.db, path: io.path ?? null, logger: io.logger, registry: this.metrics.registry }, this.now());
  }

  /** The history's reads: the SQLite handle, or the PostgreSQL session. */
  private reads(): HistoryReader {
    const reads = this.io.db ?? this.io.postgres?.reader;
    if (!reads) throw new Error('the daemon needs a history: db or postgres');
    return reads;
  }

  get log(): Logger {
    return this.io.logger;
  }

  async start(): Promise<void> {
    if (this.config.metrics) {
      const s = await startMetricsServer({ ...this.config.metrics, render: () => this.metrics.render() });
      if (!s.ok) throw new UsageError(`--metrics-port: ${s.error}`);
      this.server = s.value;
    }
    this.startWatcher();
    this.io.ticks.start({
      tick: (at) => this.loop.onTick(at),
      missed: (at) => {
        this.metrics.recordSkip('missed');
        this.log.warn('tick missed', { scheduledAt: at.toISOString(), reason: 'event loop blocked past the slot' });
      },
    });
  }

  /** Not awaited: the watcher connects and loads in the background, and no tick waits for it. */
  private startWatcher(): void {
    const buffer = this.watch;
    if (!buffer) return;
    if (this.config.watch?.unwatched) {
      this.metrics.noWatcher();
      this.log.info('not watching', { reason: this.config.watch.unwatched });
      return;
    }
    const c = this.config.collect;
    let loads = 0;
    this.metrics.watchLoaded(0);
    this.metrics.watchGap(false);
    this.watcher = new ZkWatcher({
      zk: c.zk,
      auth: c.zkAuth,
      connectTimeoutMs: c.connectTimeoutMs,
      requestTimeoutMs: c.requestTimeoutMs,
      // Shorter than a collection's: a watcher cut off is in a gap either way, and a short
      // session lets the server drop its watches soon rather than hold them for a dead client.
      sessionTimeoutMs: 10_000,
      now: this.now,
      onEvent: (e) => {
        buffer.add(e);
        this.metrics.watchEvent();
      },
      onGap: (g) => {
        buffer.gap(g);
        this.metrics.watchGap(g.to === null);
        const fields = { from: new Date(g.from).toISOString(), reason: g.reason };
        if (g.to === null) this.log.warn('watch gap: changes not watched', fields);
        else this.log.info('watch gap closed', { ...fields, to: new Date(g.to).toISOString() });
      },
      onLoaded: (watches) => {
        this.metrics.watchLoaded(watches);
        this.log.info(loads++ ? 'watching again' : 'watching', { watches });
      },
    });
    void this.watcher.start();
  }

  get metricsUrl(): string | null {
    return this.server?.url ?? null;
  }

  stop(reason: string): void {
    if (this.stopping) {
      this.log.warn('stop requested again: abandoning the running collection', { reason });
      this.abort.abort();
      return;
    }
    this.stopping = this.shutdown(reason).then(this.resolveDone, (e: unknown) => {
      this.log.error('error while stopping', { error: e instanceof Error ? e.message : String(e) });
      this.resolveDone();
    });
  }

  private async shutdown(reason: string): Promise<void> {
    const running = this.loop.running;
    this.log.info('stopping', { reason, collecting: running ? running.seq : undefined });
    this.loop.close();
    await this.io.ticks.stop();
    if (running && !(await within(this.loop.idle(), this.config.stopTimeoutMs))) {
      this.log.warn('abandoning the running collection', { tick: running.seq, waitedMs: this.config.stopTimeoutMs });
      this.abort.abort();
    }
    await this.loop.idle();
    await this.io.collector.close();
    await this.watcher?.close();
    await this.upkeep?.idle();
    await this.server?.close();
    if (this.io.db) closeDatabase(this.io.db);
    await this.lease?.close();
    await this.io.postgres?.store.close();
    this.log.info('stopped', { reason });
  }

  private skipped(at: Date, running: Tick): void {
    this.metrics.recordSkip('overlap');
    this.log.warn('tick skipped', {
      scheduledAt: at.toISOString(),
      reason: 'previous collection still running',
      runningTick: running.seq,
      runningForMs: Math.max(0, this.now() - running.scheduledAt.getTime()),
    });
  }

  private async tick(tick: Tick): Promise<void> {
    if (this.upkeep?.damaged) {
      this.log.error('tick skipped: the history file is damaged, nothing is written until the daemon is restarted on a good file', {
        tick: tick.seq,
        problem: this.upkeep.damaged,
      });
      return;
    }
    if (this.lease && !(await this.lease.ensure(tick.scheduledAt.getTime(), this.abort.signal))) {
      // Only the lease's holder collects. What a standby's watcher saw is the holder's to record: dropped.
      this.watch?.take(tick.scheduledAt.getTime());
      return;
    }
    this.log.debug('tick', { tick: tick.seq, scheduledAt: tick.scheduledAt.toISOString() });
    const { report, drift } = await runTick(
      {
        writer: this.writer,
        collector: this.io.collector,
        backoff: this.backoff,
        collectOptions: this.config.collect,
        budgetMs: this.config.budgetMs,
        stop: this.abort.signal,
        now: this.now,
        watch: this.watch,
      },
      tick,
    );
    this.afterTick(report, drift);
    // Not awaited: a backup copies in steps between ticks and must not hold the next one.
    void this.upkeep?.afterTick(this.now());
  }

  /** Everything after the write is bookkeeping: a failure there is logged, never fatal. */
  private afterTick(report: TickReport, drift: RecordedCollection['drift'] | null): void {
    // Drift not recorded now is checked live by queries and recorded at a later tick.
    if (drift && !drift.ok) this.log.error('recording drift failed', { error: drift.error });
    try {
      this.updateMetrics(report, drift?.ok ? drift.value : null);
    } catch (e) {
      this.log.error('metrics update failed', { error: e instanceof Error ? e.message : String(e) });
    }
    const level = tickLogLevel(report);
    this.log[level]('collection', tickLogFields(report));
    this.maybePrune();
  }

  private updateMetrics(report: TickReport, head: HeadDrift | null): void {
    this.metrics.setBackoff(this.backoff.active, this.backoff.consecutiveFailures);
    if (!report.recorded) {
      this.metrics.recordWriteFailure();
      return;
    }
    this.metrics.recordTick(report, head);
    if (head) this.judgeDrift(this.reads(), head.snapshotId);
    if (this.io.db) this.metrics.setDatabaseSize(databaseSizeBytes(this.io.db));
  }

  /** The drift gauges by verdict (settled, settling, ignored), as `treesnap drift` judges that snapshot. */
  private judgeDrift(db: HistoryReader, snapshotId: number): void {
    const row = db.snapshotById(snapshotId);
    if (!row) return;
    const policy = this.config.drift ?? { settle: { defaultMs: DEFAULT_SETTLE_MS, perKind: {} }, rules: [] };
    this.metrics.setDriftVerdicts(loadSettledDrift(db, row, { ...policy, today: utcDate(this.now()) }));
  }

  /** The gauges start from the latest snapshot (its drift recorded now if it was not). */
  private seedClusterGauges(db: Db): void {
    const head = recordedHead(db);
    if (!head.ok) this.log.error('recording drift failed', { error: head.error });
    else if (head.value) {
      this.metrics.setClusterGauges(head.value.facts, head.value.drift);
      this.judgeDrift(sqliteReader(db), head.value.snapshotId);
    }
  }

  private maybePrune(): void {
    const retainMs = this.config.retainMs;
    const now = this.now();
    const db = this.io.db;
    if (!db || retainMs === null || !this.retention.due(now)) return;
    this.retention.ran(now);
    const t0 = performance.now();
    try {
      const r = pruneHistory(db, { before: now - retainMs });
      this.metrics.recordPrune(r.snapshotsDeleted);
      this.metrics.setDatabaseSize(databaseSizeBytes(db));
      const fields = { ...r, durationMs: Math.round(performance.now() - t0), retain: formatDuration(retainMs) };
      if (r.snapshotsDeleted > 0) this.log.info('pruned', fields);
      else this.log.debug('pruned', fields);
    } catch (e) {
      this.log.error('prune failed', { error: e instanceof Error ? e.message : String(e) });
    }
  }
}

export async function startDaemon(config: DaemonConfig, io: DaemonIo): Promise<RunningDaemon> {
  const daemon = new Daemon(config, io);
  await daemon.start();
  return {
    get metricsUrl() {
      return daemon.metricsUrl;
    },
    stop: (reason) => daemon.stop(reason),
    done: daemon.done,
  };
}
