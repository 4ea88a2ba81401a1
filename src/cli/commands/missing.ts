// `treesnap missing [--host ID] [--since T] [--until T]`
import type { CommandModule } from 'yargs';
import { loadMissing } from '../../query/load-missing.js';
import { renderMissingText } from '../render/missing-text.js';
import { openDbForRead, printJson, windowArgs, type GlobalArgs } from '../shared-options.js';

interface Args extends GlobalArgs {
  host?: string;
  since?: string;
  until?: string;
}

export const missingCommand: CommandModule<GlobalArgs, Args> = {
  command: 'missing',
  describe: 'missing-host episodes (from /missing) per host, with probe verdicts meanwhile',
  builder: (y) =>
    y
      .option('host', { type: 'string', describe: 'only this host' })
      .option('since', { type: 'string', describe: 'episodes overlapping the window from this time' })
      .option('until', { type: 'string', describe: 'up to this time (default now)' }) as never,
  handler: (argv) => {
    const db = openDbForRead(argv.db);
    const report = loadMissing(db, { host: argv.host, ...windowArgs(argv.since, argv.until, Date.now()) });
    if (argv.json) return printJson(report);
    process.stdout.write(`${renderMissingText(report)}\n`);
  },
};
