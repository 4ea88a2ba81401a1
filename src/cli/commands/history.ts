// `treesnap history HOST [--since T] [--until T]`
import type { CommandModule } from 'yargs';
import { loadHostHistory } from '../../query/load-host-history.js';
import { renderHostHistoryText } from '../render/history-text.js';
import { openDbForRead, printJson, windowArgs, type GlobalArgs } from '../shared-options.js';

interface Args extends GlobalArgs {
  host: string;
  since?: string;
  until?: string;
}

export const historyCommand: CommandModule<GlobalArgs, Args> = {
  command: 'history <host>',
  describe: 'everything that happened to one host, in time order',
  builder: (y) =>
    y
      .positional('host', { type: 'string', describe: 'host (agent) id' })
      .option('since', { type: 'string', describe: 'only changes from this time' })
      .option('until', { type: 'string', describe: 'up to this time (default now)' }) as never,
  handler: (argv) => {
    const db = openDbForRead(argv.db);
    const report = loadHostHistory(db, String(argv.host), windowArgs(argv.since, argv.until, Date.now()));
    if (argv.json) return printJson(report);
    process.stdout.write(`${renderHostHistoryText(report)}\n`);
  },
};
