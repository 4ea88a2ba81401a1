// `treesnap missing [--host ID] [--since T] [--until T]`
import { loadMissing } from '../../query/load-missing.js';
import { defineQueryCommand } from '../query-command.js';
import { renderMissingText } from '../render/missing-text.js';
import { windowArgs } from '../shared-options.js';

export const missingCommand = defineQueryCommand({
  command: 'missing',
  describe: 'missing-host episodes (from /missing) per host, with probe verdicts meanwhile',
  builder: (y) =>
    y
      .option('host', { type: 'string', describe: 'only this host' })
      .option('since', { type: 'string', describe: 'episodes overlapping the window from this time' })
      .option('until', { type: 'string', describe: 'up to this time (default now)' }),
  answer: (db, argv, now) => {
    const report = loadMissing(db, { host: argv.host, ...windowArgs(argv.since, argv.until, now) });
    return { json: () => report, text: () => renderMissingText(report) };
  },
});
