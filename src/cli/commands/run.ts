// `treesnap run`: collect on a cron schedule until SIGINT/SIGTERM (exit 0).
// Every option is validated before anything starts; a bad one is a one-line
// error and exit 2, an unusable database exit 6.
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';
import { checkBudget, defaultBudgetMs } from '../../daemon/collection-budget.js';
import { DEFAULT_BACKOFF } from '../../daemon/collection-backoff.js';
import { parseCronSchedule } from '../../daemon/cron-schedule.js';
import { startDaemon, type DaemonConfig } from '../../daemon/daemon.js';
import { isLogLevel, LOG_LEVELS, type LogLevel } from '../../daemon/log-level.js';
import { chooseLogFormat, createLogger } from '../../daemon/logger.js';
import { onStopSignals } from '../../daemon/stop-signals.js';
import { cronTicks } from '../../daemon/tick-source.js';
import { WorkerCollector } from '../../daemon/worker-collector.js';
import { envDefault as env } from '../../config/env-default.js';
import { formatDuration } from '../../query/time-expr.js';
import { EXIT } from '../exit-codes.js';
import { toCollectOptions, withClusterOptions, type ClusterArgs } from '../collect-options.js';
import { durationArg, openDbForWrite, type GlobalArgs } from '../shared-options.js';

interface RunArgs extends GlobalArgs, ClusterArgs {
  cron: string;
  budget?: string;
  'stop-timeout': string;
  retain?: string;
  'metrics-port'?: number;
  'metrics-host': string;
  'log-level': string;
  'log-format': string;
  'backoff-after': number;
}

function numberFromEnv(name: string): number | undefined {
  const text = env(name);
  return text === undefined ? undefined : Number(text);
}

function withRunOptions<T>(y: Argv<T>) {
  return withClusterOptions(y)
    .option('cron', { type: 'string', default: env('CRON') ?? '*/5 * * * *', describe: 'when to collect: 5 cron fields, or 6 with seconds first' })
    .option('budget', { type: 'string', default: env('BUDGET'), describe: 'abandon a collection running longer than this (default: 80% of the cron interval)' })
    .option('stop-timeout', { type: 'string', default: env('STOP_TIMEOUT') ?? '10s', describe: 'on SIGTERM/SIGINT, wait this long for a running collection before abandoning it' })
    .option('retain', { type: 'string', default: env('RETAIN'), describe: 'drop history older than this, e.g. 90d (checked at the first tick, then hourly)' })
    .option('metrics-port', { type: 'number', default: numberFromEnv('METRICS_PORT'), describe: 'serve Prometheus metrics on this port (0: any free port, logged)' })
    .option('metrics-host', { type: 'string', default: env('METRICS_HOST') ?? '127.0.0.1', describe: 'address the metrics server binds to' })
    .option('log-level', { type: 'string', default: env('LOG_LEVEL') ?? 'info', choices: [...LOG_LEVELS] })
    .option('log-format', { type: 'string', default: env('LOG_FORMAT') ?? 'auto', choices: ['auto', 'json', 'text'], describe: 'auto: text on a terminal, JSON lines otherwise' })
    .option('backoff-after', {
      type: 'number',
      default: numberFromEnv('BACKOFF_AFTER') ?? DEFAULT_BACKOFF.after,
      describe: 'after this many collections in a row read nothing, attempt only every 2nd, 4th tick (0: never back off)',
    });
}

function wholeNumber(value: number | undefined, flag: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > max) throw new UsageError(`--${flag} must be a whole number from 0 to ${max}`);
  return value;
}

export function toDaemonConfig(args: RunArgs): DaemonConfig {
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
  };
}

function logLevel(text: string): LogLevel {
  if (!isLogLevel(text)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  return text;
}

export const runCommand: CommandModule<GlobalArgs, RunArgs> = {
  command: 'run',
  describe: 'collect on a schedule until stopped (SIGTERM/SIGINT: exit 0); optional metrics and retention',
  builder: (y) => withRunOptions(y) as never,
  handler: async (argv) => {
    const config = toDaemonConfig(argv);
    const requested = argv['log-format'] as 'auto' | 'json' | 'text';
    const format = chooseLogFormat(argv.json && requested === 'auto' ? 'json' : requested, process.stdout.isTTY === true);
    const logger = createLogger({ level: logLevel(argv['log-level']), format, write: (line) => process.stdout.write(line) });
    const db = openDbForWrite(argv.db);
    const ticks = cronTicks(config.schedule.expression, logger);
    let daemon;
    try {
      daemon = await startDaemon(config, { db, logger, collector: new WorkerCollector(), ticks });
    } catch (e) {
      db.$client.close();
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
    process.exitCode = EXIT.OK;
    // Everything is closed; should a library still hold a handle, do not hang past a stop.
    setTimeout(() => process.exit(EXIT.OK), 2000).unref();
  },
};
