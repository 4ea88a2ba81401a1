// `treesnap timeline --since T [--until T] [--source zk|chairman|root|status]`
import type { CommandModule } from 'yargs';
import { loadTimeline } from '../../query/load-timeline.js';
import { sourcesOf } from '../../query/source-selection.js';
import type { SourceGroup } from '../../snapshot/source-name.js';
import { renderTimelineText } from '../render/history-text.js';
import { openDbForRead, printJson, windowArgs, type GlobalArgs } from '../shared-options.js';

interface Args extends GlobalArgs {
  since: string;
  until?: string;
  source?: SourceGroup[];
}

export const timelineCommand: CommandModule<GlobalArgs, Args> = {
  command: 'timeline',
  describe: 'every change across sources in a window, in time order',
  builder: (y) =>
    y
      .option('since', { type: 'string', demandOption: true, describe: 'window start' })
      .option('until', { type: 'string', describe: 'window end (default now)' })
      .option('source', { type: 'string', array: true, choices: ['zk', 'chairman', 'root', 'status'], describe: 'only these sources (default all)' }) as never,
  handler: (argv) => {
    const db = openDbForRead(argv.db);
    const report = loadTimeline(db, windowArgs(argv.since, argv.until, Date.now()), sourcesOf(argv.source));
    if (argv.json) return printJson(report);
    process.stdout.write(`${renderTimelineText(report)}\n`);
  },
};
