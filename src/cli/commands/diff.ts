// `treesnap diff A B [--source zk|chairman|root|status]`
import { loadDiff } from '../../query/load-diff.js';
import { sourcesOf } from '../../query/source-selection.js';
import { SOURCE_GROUP_NAMES } from '../../snapshot/source-name.js';

import { defineQueryCommand } from '../query-command.js';
import { renderDiffText } from '../render/diff-text.js';
import { snapshotRefArg } from '../shared-options.js';

export const diffCommand = defineQueryCommand({
  command: 'diff <a> <b>',
  describe: 'what changed between two snapshots, per source',
  builder: (y) =>
    y
      .positional('a', { type: 'string', describe: 'earlier snapshot: id, latest~N, ISO time or "2h ago"' })
      .positional('b', { type: 'string', describe: 'later snapshot' })
      .option('source', { type: 'string', array: true, choices: SOURCE_GROUP_NAMES, describe: 'only these sources (default all)' }),
  answer: (db, argv, now) => {
    const a = db.resolveSnapshot(snapshotRefArg(String(argv.a), now, 'A'));
    const b = db.resolveSnapshot(snapshotRefArg(String(argv.b), now, 'B'));
    const report = loadDiff(db, a, b, sourcesOf(argv.source));
    return { json: () => report, text: () => renderDiffText(report) };
  },
});
