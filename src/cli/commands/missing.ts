// `treesnap missing [--host ID] [--since T] [--until T] [--limit N]`
import { loadMissingPage } from '../../query/load-missing-page.js';
import { defineQueryCommand } from '../query-command.js';
import { renderMissingText } from '../render/missing-text.js';
import { limitArg, TEXT_PAGE, windowArgs } from '../shared-options.js';

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
    const opts = { host: argv.host, ...windowArgs(argv.since, argv.until, now) };
    // Each output reads only its page where it can (one host: load-missing-page.ts).
    return { json: () => loadMissingPage(db, opts, limit), text: () => renderMissingText(loadMissingPage(db, opts, limit ?? TEXT_PAGE)) };
  },
});
