// `treesnap snapshots`: the recorded collections, with each source's outcome.
import { listSnapshotsWithOutcomes, type SnapshotSummary } from '../../query/list-snapshots.js';
import { formatTime } from '../../util/time.js';
import { defineQueryCommand } from '../query-command.js';
import { renderTable } from '../render/table.js';
import { limitArg, windowArgs } from '../shared-options.js';

function snapshotsText(rows: readonly SnapshotSummary[]): string {
  const table = rows.map((r) => [
    `#${r.id}`,
    formatTime(r.startedAt),
    `${r.durationMs}ms`,
    r.failedSources.length ? `FAILED: ${r.failedSources.join(', ')}` : 'complete',
    String(r.counts.leaves ?? '-'),
    String(r.counts.hosts ?? '-'),
    String(r.counts.offline ?? '-'),
  ]);
  return renderTable(['id', 'started', 'took', 'sources', 'leaves', 'hosts', 'offline'], table, ['right', 'left', 'right', 'left', 'right', 'right', 'right']);
}

export const snapshotsCommand = defineQueryCommand({
  command: 'snapshots',
  describe: 'list recorded snapshots with per-source outcome and counts',
  builder: (y) =>
    y
      .option('since', { type: 'string', describe: 'only snapshots started at or after this time' })
      .option('until', { type: 'string', describe: 'only snapshots started at or before this time' })
      .option('limit', { type: 'number', default: 50, describe: 'newest N (0: all)' }),
  check: (argv) => {
    limitArg(argv.limit);
  },
  answer: (db, argv, now) => {
    const window = windowArgs(argv.since, argv.until, now);
    const rows = listSnapshotsWithOutcomes(db, { ...window, limit: argv.limit > 0 ? argv.limit : undefined });
    return { json: () => ({ snapshots: rows }), text: () => snapshotsText(rows) };
  },
});
