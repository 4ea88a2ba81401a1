// `treesnap diff A B [--source zk|chairman|root|status]`
import type { CommandModule } from 'yargs';
import { loadDiff } from '../../query/load-diff.js';
import { sourcesOf } from '../../query/source-selection.js';
import type { SourceGroup } from '../../snapshot/source-name.js';
import { resolveSnapshot } from '../../store/index.js';
import { renderDiffText } from '../render/diff-text.js';
import { openDbForRead, printJson, snapshotRefArg, type GlobalArgs } from '../shared-options.js';

interface Args extends GlobalArgs {
  a: string;
  b: string;
  source?: SourceGroup[];
}

export const diffCommand: CommandModule<GlobalArgs, Args> = {
  command: 'diff <a> <b>',
  describe: 'what changed between two snapshots, per source',
  builder: (y) =>
    y
      .positional('a', { type: 'string', describe: 'earlier snapshot: id, latest~N, ISO time or "2h ago"' })
      .positional('b', { type: 'string', describe: 'later snapshot' })
      .option('source', { type: 'string', array: true, choices: ['zk', 'chairman', 'root', 'status'], describe: 'only these sources (default all)' }) as never,
  handler: (argv) => {
    const db = openDbForRead(argv.db);
    const now = Date.now();
    const a = resolveSnapshot(db, snapshotRefArg(argv.a, now, 'A'));
    const b = resolveSnapshot(db, snapshotRefArg(argv.b, now, 'B'));
    const report = loadDiff(db, a, b, sourcesOf(argv.source));
    if (argv.json) return printJson(report);
    process.stdout.write(`${renderDiffText(report)}\n`);
  },
};
