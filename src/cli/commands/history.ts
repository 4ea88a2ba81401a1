// `treesnap history HOST [--since T] [--until T] [--limit N]`
import { loadHostHistoryPage } from '../../query/load-host-history.js';
import { defineQueryCommand } from '../query-command.js';
import { renderHostHistoryText } from '../render/history-text.js';
import { limitArg, TEXT_PAGE, windowArgs } from '../shared-options.js';

export const historyCommand = defineQueryCommand({
  command: 'history <host>',
  describe: 'everything that happened to one host, in time order',
  builder: (y) =>
    y
      .positional('host', { type: 'string', describe: 'host (agent) id' })
      .option('since', { type: 'string', describe: 'only changes from this time' })
      .option('until', { type: 'string', describe: 'up to this time (default now)' })
      .option('limit', { type: 'number', describe: `only the newest N changes, with a count of the older ones (0: all; default: all in --json, ${TEXT_PAGE} in text)` }),
  answer: (db, argv, now) => {
    const limit = limitArg(argv.limit);
    const window = windowArgs(argv.since, argv.until, now);
    // Each output reads only its page (--limit bounds the read: load-host-history.ts).
    return {
      json: () => loadHostHistoryPage(db, String(argv.host), window, limit),
      text: () => renderHostHistoryText(loadHostHistoryPage(db, String(argv.host), window, limit ?? TEXT_PAGE)),
    };
  },
});
