// `treesnap missing [--host ID] [--since T] [--until T] [--limit N]`
import { loadMissing } from '../../query/load-missing.js';
import { defineQueryCommand } from '../query-command.js';
import { renderMissingText } from '../render/missing-text.js';
import { limitArg, TEXT_PAGE, windowArgs } from '../shared-options.js';
import { newestEpisodes } from '../../query/missing-page.js';

export const missingCommand = defineQueryCommand({
  command: 'missing',
  describe: 'missing-host episodes (from /missing) per host, with probe verdicts meanwhile',
  builder: (y) =>
    y
      .option('host', { type: 'string', describe: 'only this host' })
      .option('since', { type: 'string', describe: 'episodes overlapping the window from this time' })
      .option('until', { type: 'string', describe: 'up to this time (default now)' })
      .option('limit', { type: 'number', describe: `only the newest N episodes, with a count of the older ones (0: all; default: all in --json, ${TEXT_PAGE} in text)` }),
  answer: (db, argv, now) => {
    const limit = limitArg(argv.limit);
    const report = loadMissing(db, { host: argv.host, ...windowArgs(argv.since, argv.until, now) });
    return { json: () => newestEpisodes(report, limit), text: () => renderMissingText(newestEpisodes(report, limit ?? TEXT_PAGE)) };
  },
});
