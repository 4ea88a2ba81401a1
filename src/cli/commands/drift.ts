// `treesnap drift [SNAPSHOT | --at TIME]` and `treesnap drift --since T [--until T]`.
// Exit status: 0 no drift, 3 (EXIT.DRIFT) drift found, others per exit-codes.ts.
import { UsageError } from '../../errors.js';
import { loadDriftHistory } from '../../query/load-drift-history.js';
import { loadDrift } from '../../query/load-drift.js';
import { resolveSnapshot } from '../../store/index.js';
import { EXIT } from '../exit-codes.js';
import { renderDriftHistoryText, renderDriftText } from '../../present/drift-text.js';
import { defineQueryCommand } from '../query-command.js';
import { snapshotRefArg, windowArgs } from '../shared-options.js';

export const driftCommand = defineQueryCommand({
  command: 'drift [snapshot]',
  describe: 'disagreements between sources in one snapshot (exit 3 when found), or as episodes over a window (--since)',
  builder: (y) =>
    y
      .positional('snapshot', { type: 'string', describe: 'id, latest, latest~N, ISO time or "2h ago" (default latest)' })
      .option('at', { type: 'string', describe: 'the snapshot in force at this time' })
      .option('since', { type: 'string', describe: 'drift history: episodes from this time' })
      .option('until', { type: 'string', describe: 'drift history: up to this time (default now)' }),
  check: (argv) => {
    if (argv.snapshot && argv.at) throw new UsageError('give a snapshot or --at, not both');
    if (argv.until !== undefined && argv.since === undefined) throw new UsageError('--until needs --since');
    if (argv.since !== undefined && (argv.snapshot || argv.at)) throw new UsageError('--since is a window: give no snapshot or --at with it');
  },
  answer: (db, argv, now) => {
    if (argv.since !== undefined) {
      const report = loadDriftHistory(db, windowArgs(argv.since, argv.until, now));
      return { json: () => report, text: () => renderDriftHistoryText(report), exit: report.total ? EXIT.DRIFT : EXIT.OK };
    }
    const report = loadDrift(db, resolveSnapshot(db, snapshotRefArg(argv.at ?? argv.snapshot ?? 'latest', now)));
    return { json: () => report, text: () => renderDriftText(report), exit: report.total ? EXIT.DRIFT : EXIT.OK };
  },
});
