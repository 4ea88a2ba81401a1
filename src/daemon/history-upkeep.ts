// The daemon's care of its history file: SQLite's quick check every
// --verify-every (the file was checked when it was opened), and a verified
// backup every --backup-every into --backup-dir, keeping --backup-keep. Once
// the file is found damaged the daemon writes nothing more: each tick is
// skipped and says why, and the metrics show it, until it is restarted on a
// good file (README "Backups and recovery").
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { formatTime } from '../util/time.js';
import { fileProblems, sqliteProblems, type Db } from '../store/index.js';
import { takeBackup } from '../verify/take-backup.js';
import type { Logger } from './logger.js';
import type { MetricsRegistry } from './metrics-registry.js';
import { RetentionTimer } from './retention-timer.js';

export interface UpkeepConfig {
  verifyEveryMs: number;
  backup: { dir: string; everyMs: number; keep: number } | null;
}

const BACKUP_PREFIX = 'treesnap-';

/** Pages copied per step (4 MiB at the default page size): ticks run between steps. */
const PAGES_PER_STEP = 1024;

/** Backup file names sort by time: treesnap-20261203T101500Z.db. */
export function backupName(at: number): string {
  return `${BACKUP_PREFIX}${formatTime(at).replace(/[-:]/g, '')}.db`;
}

/** The backups beyond the newest `keep`, given the directory's file names. */
export function backupsToDrop(names: readonly string[], keep: number): string[] {
  const ours = names.filter((n) => n.startsWith(BACKUP_PREFIX) && n.endsWith('.db')).sort();
  return ours.slice(0, Math.max(0, ours.length - keep));
}

export class HistoryUpkeep {
  /** Why the file must not be written to; null while it is good. */
  damaged: string | null = null;
  private readonly verifyTimer: RetentionTimer;
  private readonly backupTimer: RetentionTimer | null;
  private backingUp: Promise<void> | null = null;
  private readonly checkOk;
  private readonly checkAt;
  private readonly lastBackup;
  private readonly backupFailures;

  constructor(
    private readonly config: UpkeepConfig,
    private readonly io: { db: Db; path: string | null; logger: Logger; registry: MetricsRegistry },
    now: number,
  ) {
    const r = io.registry;
    this.checkOk = r.gauge('treesnap_history_check_ok', "1 if the last SQLite quick check of the history file passed, 0 if it found damage (the daemon then writes nothing).");
    this.checkAt = r.gauge('treesnap_history_check_timestamp_seconds', 'When the history file was last checked.');
    this.lastBackup = r.gauge('treesnap_last_backup_timestamp_seconds', 'When the last verified backup was written; 0 if none yet.');
    this.backupFailures = r.counter('treesnap_backup_failures_total', 'Backups that could not be written or failed verification.');
    this.backupFailures.touch({});
    this.lastBackup.set({}, 0);
    // The file passed the check when it was opened for writing.
    this.checkOk.set({}, 1);
    this.checkAt.set({}, now / 1000);
    this.verifyTimer = new RetentionTimer(config.verifyEveryMs);
    this.verifyTimer.ran(now);
    this.backupTimer = config.backup ? new RetentionTimer(config.backup.everyMs) : null;
  }

  /** Runs what is due; called after each tick. */
  async afterTick(now: number): Promise<void> {
    if (this.verifyTimer.due(now)) this.verify(now);
    if (this.backupTimer?.due(now) && !this.damaged && !this.backingUp) {
      this.backupTimer.ran(now);
      this.backingUp = this.backup(now).finally(() => (this.backingUp = null));
      await this.backingUp;
    }
  }

  /** Resolves once no backup is running (the database may then be closed). */
  async idle(): Promise<void> {
    await this.backingUp;
  }

  verify(now: number): void {
    this.verifyTimer.ran(now);
    const t0 = performance.now();
    const path = this.io.path;
    const problems = path === null || path === ':memory:' ? sqliteProblems(this.io.db, true, 5) : fileProblems(path);
    this.checkAt.set({}, now / 1000);
    this.checkOk.set({}, problems.length ? 0 : 1);
    const durationMs = Math.round(performance.now() - t0);
    if (!problems.length) {
      this.io.logger.debug('history checked', { durationMs });
      return;
    }
    this.damaged = problems[0]!;
    this.io.logger.error('history file damaged: no more writes until restarted on a good file', {
      db: path ?? undefined,
      problem: this.damaged,
      next: `stop the daemon, run \`treesnap verify --db ${path ?? '<file>'}\`, restore a backup or salvage`,
      durationMs,
    });
  }

  private async backup(now: number): Promise<void> {
    const { dir, keep } = this.config.backup!;
    try {
      const r = await takeBackup(this.io.db, join(dir, backupName(now)), PAGES_PER_STEP);
      this.lastBackup.set({}, now / 1000);
      for (const name of backupsToDrop(readdirSync(dir), keep)) rmSync(join(dir, name), { force: true });
      this.io.logger.info('backed up', { path: r.path, lastSnapshot: r.lastSnapshot });
    } catch (e) {
      this.backupFailures.inc({});
      this.io.logger.error('backup failed', { dir, error: e instanceof Error ? e.message : String(e) });
    }
  }
}
