// `treesnap run` once its arguments are parsed: every option validated (a bad
// one is a UsageError, exit 2), the database opened (exit 6 when unusable),
// then the daemon runs until SIGINT/SIGTERM and the process exits 0.
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { UsageError } from '../errors.js';
import type { UpkeepConfig } from '../daemon/history-upkeep.js';
import { checkBudget, defaultBudgetMs } from '../daemon/collection-budget.js';
import { DEFAULT_BACKOFF } from '../daemon/collection-backoff.js';
import { parseCronSchedule } from '../daemon/cron-schedule.js';
import { startDaemon, type DaemonConfig, type DaemonIo } from '../daemon/daemon.js';
import { isLogLevel, LOG_LEVELS, type LogLevel } from '../daemon/log-level.js';
import { chooseLogFormat, createLogger } from '../daemon/logger.js';
import { onStopSignals } from '../daemon/stop-signals.js';
import { cronTicks } from '../daemon/tick-source.js';
import { InThreadCollector } from '../daemon/collector.js';
import { formatDuration } from '../util/time.js';
import { EXIT } from './exit-codes.js';
import { toCollectOptions, type ClusterArgs } from './collect-options.js';
import { durationArg, openDbForWrite, type GlobalArgs } from './shared-options.js';
import { closeDatabase, isPostgresUrl, openHistoryStore, openPostgresReader, serverName } from '../store/index.js';
import { ignoreRulesArg, settleConfigArg } from './drift-policy.js';

/** The options of `treesnap run` (src/cli/commands/run.ts declares them). */
export interface RunArgs extends GlobalArgs, ClusterArgs {
  cron: string;
  budget?: string;
  'stop-timeout': string;
  retain?: string;
  'metrics-port'?: number;
  'metrics-host': string;
  'log-level': string;
  'log-format': string;
  'backoff-after': number;
  'verify-every': string;
  'backup-dir'?: string;
  'backup-every': string;
  'backup-keep': number;
  settle?: unknown;
  ignore?: string;
  /** false with --no-watch: no watcher session between ticks. */
  watch: boolean;
  'lease-ttl'?: string;
}

/** The lease outlives a few renewals (every third of it) and fits twice in a tick: a standby waits at most that long. */
function leaseTtlMs(args: RunArgs, intervalMs: number): number {
  if (args['lease-ttl'] !== undefined) {
    const ms = durationArg(args['lease-ttl'], 'lease-ttl');
    if (ms < 300 || ms > intervalMs) throw new UsageError(`--lease-ttl must be from 300ms to the cron interval (${formatDuration(intervalMs)})`);
    return ms;
  }
  return Math.min(30_000, Math.max(1_000, Math.floor(intervalMs / 2)));
}

/** What a PostgreSQL history does not do in the daemon yet: refused rather than silently skipped. */
function refuseSqliteOnly(args: RunArgs): void {
  for (const flag of ['retain', 'backup-dir'] as const) {
    if (args[flag] !== undefined) throw new UsageError(`--${flag} is not yet served on a PostgreSQL history (README "Running it for a team")`);
  }
}

/** The history the daemon records into: a SQLite file, or a PostgreSQL server under the collector lease of `cluster`. */
async function openHistory(args: RunArgs, intervalMs: number, cluster: string): Promise<Pick<DaemonIo, 'db' | 'postgres'> & { close(): Promise<void> }> {
  if (!isPostgresUrl(args.db)) {
    const db = openDbForWrite(args.db);
    return { db, close: async () => closeDatabase(db) };
  }
  refuseSqliteOnly(args);
  const ttlMs = leaseTtlMs(args, intervalMs);
  const store = await openHistoryStore(args.db, { cluster });
  const reader = await openPostgresReader(args.db, { cluster });
  const holder = `${hostname()}:${process.pid}:${randomBytes(2).toString('hex')}`;
  return { postgres: { store, reader, lease: { cluster, holder, ttlMs } }, close: async () => (await reader.close(), await store.close()) };
}

function wholeNumber(value: number | undefined, flag: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > max) throw new UsageError(`--${flag} must be a whole number from 0 to ${max}`);
  return value;
}

function toDaemonConfig(args: RunArgs): DaemonConfig {
  const collect = toCollectOptions(args);
  const schedule = parseCronSchedule(args.cron);
  if (!schedule.ok) throw new UsageError(`--cron ${schedule.error}`);
  const budget = checkBudget(
    args.budget === undefined ? defaultBudgetMs(schedule.value.intervalMs) : durationArg(args.budget, 'budget'),
    schedule.value.intervalMs,
  );
  if (!budget.ok) throw new UsageError(`--budget: ${budget.error}`);
  const port = wholeNumber(args['metrics-port'], 'metrics-port', 65535);
  if (!args['metrics-host']) throw new UsageError('--metrics-host must not be empty');
  return {
    schedule: schedule.value,
    budgetMs: budget.value,
    stopTimeoutMs: durationArg(args['stop-timeout'], 'stop-timeout'),
    retainMs: args.retain === undefined ? null : durationArg(args.retain, 'retain'),
    collect,
    metrics: port === undefined ? null : { host: args['metrics-host'], port },
    backoff: { ...DEFAULT_BACKOFF, after: wholeNumber(args['backoff-after'], 'backoff-after', 1000) ?? DEFAULT_BACKOFF.after },
    upkeep: upkeepConfig(args),
    drift: { settle: settleConfigArg(args.settle), rules: ignoreRulesArg(args.ignore) },
    watch: args.watch === false ? { unwatched: '--no-watch' } : {},
  };
}

function upkeepConfig(args: RunArgs): UpkeepConfig {
  const dir = args['backup-dir'];
  if (dir !== undefined && !(existsSync(dir) && statSync(dir).isDirectory())) throw new UsageError(`--backup-dir ${dir}: not a directory`);
  const keep = wholeNumber(args['backup-keep'], 'backup-keep', 10_000);
  if (keep === 0) throw new UsageError('--backup-keep must be at least 1');
  return {
    verifyEveryMs: durationArg(args['verify-every'], 'verify-every'),
    backup: dir === undefined ? null : { dir, everyMs: durationArg(args['backup-every'], 'backup-every'), keep: keep ?? 7 },
  };
}

function logLevel(text: string): LogLevel {
  if (!isLogLevel(text)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  return text;
}

export async function runDaemon(argv: RunArgs): Promise<number> {
  const config = toDaemonConfig(argv);
  const requested = argv['log-format'] as 'auto' | 'json' | 'text';
  const format = chooseLogFormat(argv.json && requested === 'auto' ? 'json' : requested, process.stdout.isTTY === true);
  const logger = createLogger({ level: logLevel(argv['log-level']), format, write: (line) => process.stdout.write(line) });
  // The cluster's records and its collector lease (--cluster, $TREESNAP_CLUSTER, or default).
  const history = await openHistory(argv, config.schedule.intervalMs, argv.cluster);
  const ticks = cronTicks(config.schedule.expression, logger);
  let daemon;
  try {
    daemon = await startDaemon(config, { db: history.db, postgres: history.postgres, logger, collector: new InThreadCollector(), ticks, path: argv.db });
  } catch (e) {
    await history.close();
    throw e;
  }
  const removeSignals = onStopSignals((signal) => daemon.stop(signal));
  logger.info('started', {
    pid: process.pid,
    cron: config.schedule.expression,
    budget: formatDuration(config.budgetMs),
    db: isPostgresUrl(argv.db) ? serverName(argv.db) : argv.db,
    zk: config.collect.zk,
    holder: history.postgres?.lease.holder,
    leaseTtl: history.postgres && formatDuration(history.postgres.lease.ttlMs),
    metrics: daemon.metricsUrl ?? undefined,
    retain: config.retainMs === null ? undefined : formatDuration(config.retainMs),
  });
  await daemon.done;
  removeSignals();
  // Everything is closed; should a library still hold a handle, do not hang past a stop.
  setTimeout(() => process.exit(EXIT.OK), 2000).unref();
  return EXIT.OK;
}
