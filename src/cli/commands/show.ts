// `treesnap show [SNAPSHOT | --at TIME] [--source zk|chairman|root]`
import type { CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';
import { loadSnapshotOverview, loadSnapshotView } from '../../query/load-snapshot.js';
import type { OverviewParts } from '../../query/snapshot-view.js';
import { resolveSnapshot } from '../../store/index.js';
import { renderSnapshotText } from '../render/snapshot-text.js';
import { openDbForRead, printJson, snapshotRefArg, type GlobalArgs } from '../shared-options.js';

type ShowSource = 'zk' | 'chairman' | 'root';

interface Args extends GlobalArgs {
  snapshot?: string;
  at?: string;
  source?: ShowSource[];
  all: boolean;
}

const FIRST_LEAVES = 50;

/** What `show` reads for its text: the views it prints, their first 50 leaves unless --all, no verdict list. */
export function showParts(sources: readonly ShowSource[], all: boolean): OverviewParts {
  return { chairman: sources.includes('chairman'), root: sources.includes('root'), verdicts: false, leafLimit: all ? Infinity : FIRST_LEAVES };
}

export const showCommand: CommandModule<GlobalArgs, Args> = {
  command: 'show [snapshot]',
  describe: 'the scheduler tree as recorded in one snapshot',
  builder: (y) =>
    y
      .positional('snapshot', { type: 'string', describe: 'id, latest, latest~N, ISO time or "2h ago" (default latest)' })
      .option('at', { type: 'string', describe: 'the snapshot in force at this time' })
      .option('source', { type: 'string', array: true, choices: ['zk', 'chairman', 'root'], describe: 'which views to print (default zk)' })
      .option('all', { type: 'boolean', default: false, describe: `print every leaf (default: first ${FIRST_LEAVES})` }) as never,
  handler: (argv) => {
    if (argv.snapshot && argv.at) throw new UsageError('give a snapshot or --at, not both');
    const db = openDbForRead(argv.db);
    const ref = snapshotRefArg(argv.at ?? argv.snapshot ?? 'latest', Date.now());
    const snapshot = resolveSnapshot(db, ref);
    if (argv.json) return printJson(loadSnapshotView(db, snapshot));
    const sources = argv.source ?? ['zk'];
    const overview = loadSnapshotOverview(db, snapshot, showParts(sources, argv.all));
    const text = renderSnapshotText(overview, { sources });
    process.stdout.write(`${text}\n`);
  },
};
