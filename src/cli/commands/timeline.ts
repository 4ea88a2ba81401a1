// `treesnap timeline --since T [--until T] [--source zk|chairman|root|status]`
import { loadTimeline } from '../../query/load-timeline.js';
import { sourcesOf } from '../../query/source-selection.js';
import { SOURCE_GROUP_NAMES } from '../../snapshot/source-name.js';
import { defineQueryCommand } from '../query-command.js';
import { renderTimelineText } from '../render/history-text.js';
import { windowArgs } from '../shared-options.js';

export const timelineCommand = defineQueryCommand({
  command: 'timeline',
  describe: 'every change across sources in a window, in time order',
  builder: (y) =>
    y
      .option('since', { type: 'string', demandOption: true, describe: 'window start' })
      .option('until', { type: 'string', describe: 'window end (default now)' })
      .option('source', { type: 'string', array: true, choices: SOURCE_GROUP_NAMES, describe: 'only these sources (default all)' }),
  answer: (db, argv, now) => {
    const report = loadTimeline(db, windowArgs(argv.since, argv.until, now), sourcesOf(argv.source));
    return { json: () => report, text: () => renderTimelineText(report) };
  },
});
