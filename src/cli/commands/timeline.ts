// `treesnap timeline --since T [--until T] [--source zk|chairman|root|status] [--limit N]`
import { newestEvents } from '../../query/newest-page.js';
import { loadTimeline } from '../../query/load-timeline.js';
import { sourcesOf } from '../../query/source-selection.js';
import { SOURCE_GROUP_NAMES } from '../../snapshot/source-name.js';
import { defineQueryCommand } from '../query-command.js';
import { renderTimelineText } from '../render/history-text.js';
import { limitArg, TEXT_PAGE, windowArgs } from '../shared-options.js';

export const timelineCommand = defineQueryCommand({
  command: 'timeline',
  describe: 'every change across sources in a window, in time order',
  builder: (y) =>
    y
      .option('since', { type: 'string', demandOption: true, describe: 'window start' })
      .option('until', { type: 'string', describe: 'window end (default now)' })
      .option('source', { type: 'string', array: true, choices: SOURCE_GROUP_NAMES, describe: 'only these sources (default all)' })
      .option('limit', { type: 'number', describe: `only the newest N events, with a count of the older ones (0: all; default: all in --json, ${TEXT_PAGE} in text)` }),
  answer: (db, argv, now) => {
    const limit = limitArg(argv.limit);
    const report = loadTimeline(db, windowArgs(argv.since, argv.until, now), sourcesOf(argv.source));
    // The page cuts what is printed, not what is read: total and counts are the window's.
    return { json: () => newestEvents(report, limit), text: () => renderTimelineText(newestEvents(report, limit ?? TEXT_PAGE)) };
  },
});
