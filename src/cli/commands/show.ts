// `treesnap show [SNAPSHOT | --at TIME] [--source zk|chairman|root]`
import type { CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';
import { loadSnapshotOverview, loadSnapshotView } from '../../query/load-snapshot.js';
import { resolveSnapshot } from '../../store/snapshot-index.js';
import { renderSnapshotText } from '../render/snapshot-text.js';
import { openDbForRead, printJson, snapshotRefArg, type GlobalArgs } from '../shared-options.js';

interface Args extends GlobalArgs {
  snapshot?: string;
  at?: string;
  source?: ('zk' | 'chairman' | 'root')[];
  all: boolean;
}

export const showCommand: CommandModule<GlobalArgs, Args> = {
  command: 'show [snapshot]',
  describe: 'the scheduler tree as recorded in one snapshot',
  builder: (y) =>
    y
      .positional('snapshot', { type: 'string', describe: 'id, latest, latest~N, ISO time or "2h ago" (default latest)' })
      .option('at', { type: 'string', describe: 'the snapshot in force at this time' })
      .option('source', { type: 'string', array: true, choices: ['zk', 'chairman', 'root'], describe: 'which views to print (default zk)' })
      .option('all', { type: 'boolean', default: false, describe: 'print every leaf (default: first 50)' }) as never,
  handler: (argv) => {
    if (argv.snapshot && argv.at) throw new UsageError('give a snapshot or --at, not both');
    const db = openDbForRead(argv.db);
    const ref = snapshotRefArg(argv.at ?? argv.snapshot ?? 'latest', Date.now());
    const snapshot = resolveSnapshot(db, ref);
    if (argv.json) return printJson(loadSnapshotView(db, snapshot));
    const sources = argv.source ?? ['zk'];
    const overview = loadSnapshotOverview(db, snapshot, { chairman: sources.includes('chairman'), root: sources.includes('root') });
    const text = renderSnapshotText(overview, { sources, limitLeaves: argv.all ? Infinity : 50 });
    process.stdout.write(`${text}\n`);
  },
};
