// `treesnap history HOST [--since T] [--until T]`
import { loadHostHistory } from '../../query/load-host-history.js';
import { newestEvents } from '../../query/host-history.js';
import { UsageError } from '../../errors.js';
import { defineQueryCommand } from '../query-command.js';
import { renderHostHistoryText } from '../render/history-text.js';
import { windowArgs } from '../shared-options.js';

export const historyCommand = defineQueryCommand({
  command: 'history <host>',
  describe: 'everything that happened to one host, in time order',
  builder: (y) =>
    y
      .positional('host', { type: 'string', describe: 'host (agent) id' })
      .option('since', { type: 'string', describe: 'only changes from this time' })
      .option('until', { type: 'string', describe: 'up to this time (default now)' })
      .option('limit', { type: 'number', describe: 'only the newest N changes, with a count of the older ones (default: all)' }),
  answer: (db, argv, now) => {
    const limit = argv.limit;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw new UsageError(`--limit must be a whole number >= 0 (0: all), got ${String(limit)}`);
    const report = newestEvents(loadHostHistory(db, String(argv.host), windowArgs(argv.since, argv.until, now)), limit);
    return { json: () => report, text: () => renderHostHistoryText(report) };
  },
});
