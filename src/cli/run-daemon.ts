// `treesnap run` once its arguments are parsed: every option validated (a bad
// one is a UsageError, exit 2), the database opened (exit 6 when unusable),
// then the daemon runs until SIGINT/SIGTERM and the process exits 0.
import { existsSync, statSync } from 'node:fs';
import { UsageError } from '../errors.js';
import type { UpkeepConfig } from '../daemon/history-upkeep.js';
import { checkBudget, defaultBudgetMs } from '../daemon/collection-budget.js';
import { DEFAULT_BACKOFF } from '../daemon/collection-backoff.js';
import { parseCronSchedule } from '../daemon/cron-schedule.js';
import { startDaemon, type DaemonConfig } from '../daemon/daemon.js';
import { isLogLevel, LOG_LEVELS, type LogLevel } from '../daemon/log-level.js';
import { chooseLogFormat, createLogger } from '../daemon/logger.js';
import { onStopSignals } from '../daemon/stop-signals.js';
import { cronTicks } from '../daemon/tick-source.js';
import { WorkerCollector } from '../daemon/worker-collector.js';
import { formatDuration } from '../util/time.js';
import { EXIT } from './exit-codes.js';
import { toCollectOptions, type ClusterArgs } from './collect-options.js';
import { durationArg, openDbForWrite, type GlobalArgs } from './shared-options.js';
import { closeDatabase } from '../store/index.js';
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
  const db = openDbForWrite(argv.db);
  const ticks = cronTicks(config.schedule.expression, logger);
  let daemon;
  try {
    daemon = await startDaemon(config, { db, logger, collector: new WorkerCollector(), ticks, path: argv.db });
  } catch (e) {
    closeDatabase(db);
    throw e;
  }
  const removeSignals = onStopSignals((signal) => daemon.stop(signal));
  logger.info('started', {
    pid: process.pid,
    cron: config.schedule.expression,
    budget: formatDuration(config.budgetMs),
    db: argv.db,
    zk: config.collect.zk,
    metrics: daemon.metricsUrl ?? undefined,
    retain: config.retainMs === null ? undefined : formatDuration(config.retainMs),
  });
  await daemon.done;
  removeSignals();
  // Everything is closed; should a library still hold a handle, do not hang past a stop.
  setTimeout(() => process.exit(EXIT.OK), 2000).unref();
  return EXIT.OK;
}
