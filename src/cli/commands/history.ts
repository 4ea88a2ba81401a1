// `treesnap history HOST [--since T] [--until T]`
import { loadHostHistory } from '../../query/load-host-history.js';
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
      .option('until', { type: 'string', describe: 'up to this time (default now)' }),
  answer: (db, argv, now) => {
    const report = loadHostHistory(db, String(argv.host), windowArgs(argv.since, argv.until, now));
    return { json: () => report, text: () => renderHostHistoryText(report) };
  },
});
