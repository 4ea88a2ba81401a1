// `treesnap run`: collect on a cron schedule until SIGINT/SIGTERM (exit 0).
// Every option is validated before anything starts; a bad one is a one-line
// error and exit 2, an unusable database exit 6.
import type { Argv } from 'yargs';
import { DEFAULT_BACKOFF } from '../../daemon/collection-backoff.js';
import { LOG_LEVELS } from '../../daemon/log-level.js';
import { envDefault as env } from '../../config/env-default.js';
import { withClusterOptions } from '../collect-options.js';
import { defineCommand } from '../define-command.js';

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
    })
    .option('verify-every', { type: 'string', default: env('VERIFY_EVERY') ?? '1d', describe: "run SQLite's quick check of the history this often; on damage, stop writing" })
    .option('backup-dir', { type: 'string', default: env('BACKUP_DIR'), describe: 'write a verified backup of the history into this directory' })
    .option('backup-every', { type: 'string', default: env('BACKUP_EVERY') ?? '1d', describe: 'how often to back up (with --backup-dir)' })
    .option('backup-keep', { type: 'number', default: numberFromEnv('BACKUP_KEEP') ?? 7, describe: 'backups kept in --backup-dir (older ones are deleted)' })
    .option('settle', {
      describe: 'drift gauges: younger drift is settling, not drift (as `treesnap drift --settle`; config: a duration or {"<kind>": "2m", "default": "60s"})',
      defaultDescription: '60s',
    })
    .option('ignore', { type: 'string', default: env('IGNORE'), describe: 'drift gauges: ignore rules file (as `treesnap drift --ignore`), read at start' })
    .option('lease-ttl', {
      type: 'string',
      default: env('LEASE_TTL'),
      describe: 'PostgreSQL history: how long the collector lease outlives its holder (default: half the cron interval, 1s to 30s)',
    })
    .option('watch', {
      type: 'boolean',
      default: true,
      describe: 'watch ZooKeeper between ticks with a session of its own (--no-watch: none; the timeline then says changes between ticks were not watched)',
    });
}

export const runCommand = defineCommand({
  command: 'run',
  describe: 'collect on a schedule until stopped (SIGTERM/SIGINT: exit 0); optional metrics and retention',
  builder: (y) => withRunOptions(y),
  // The daemon, node-cron and the collector load only for `run`.
  // runDaemon's RunArgs is checked here against the options above.
  run: async (argv) => (await import('../run-daemon.js')).runDaemon(argv),
});
