// `treesnap snapshots`: the recorded collections, with each source's outcome.
import type { CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';
import { listSnapshotsWithOutcomes } from '../../query/list-snapshots.js';
import { formatTime } from '../../util/time.js';
import { renderTable } from '../render/table.js';
import { openDbForRead, printJson, windowArgs, type GlobalArgs } from '../shared-options.js';

interface Args extends GlobalArgs {
  since?: string;
  until?: string;
  limit: number;
}

export const snapshotsCommand: CommandModule<GlobalArgs, Args> = {
  command: 'snapshots',
  describe: 'list recorded snapshots with per-source outcome and counts',
  builder: (y) =>
    y
      .option('since', { type: 'string', describe: 'only snapshots started at or after this time' })
      .option('until', { type: 'string', describe: 'only snapshots started at or before this time' })
      .option('limit', { type: 'number', default: 50, describe: 'newest N (0: all)' }) as never,
  handler: (argv) => {
    if (!Number.isInteger(argv.limit) || argv.limit < 0) throw new UsageError(`--limit must be a whole number >= 0 (0: all), got ${String(argv.limit)}`);
    const db = openDbForRead(argv.db);
    const window = windowArgs(argv.since, argv.until, Date.now());
    const rows = listSnapshotsWithOutcomes(db, { ...window, limit: argv.limit > 0 ? argv.limit : undefined });
    if (argv.json) return printJson({ snapshots: rows });
    const table = rows.map((r) => [
      `#${r.id}`,
      formatTime(r.startedAt),
      `${r.durationMs}ms`,
      r.failedSources.length ? `FAILED: ${r.failedSources.join(', ')}` : 'complete',
      String(r.counts.leaves ?? '-'),
      String(r.counts.hosts ?? '-'),
      String(r.counts.offline ?? '-'),
    ]);
    process.stdout.write(`${renderTable(['id', 'started', 'took', 'sources', 'leaves', 'hosts', 'offline'], table, ['right', 'left', 'right', 'left', 'right', 'right', 'right'])}\n`);
  },
};
