// `treesnap collect`: one collection of one cluster into the history.
import type { CommandModule } from 'yargs';
import { EXIT } from '../exit-codes.js';
import { withClusterOptions, toCollectOptions, type ClusterArgs } from '../collect-options.js';
import { renderCollectionText } from '../render/collection-text.js';
import { progressLine } from '../render/progress.js';
import { recordDrift } from '../../query/record-drift.js';
import type { Db } from '../../store/open-database.js';
import { openDbForWrite, printJson, type GlobalArgs } from '../shared-options.js';

type Args = GlobalArgs & ClusterArgs;

/** The snapshot is recorded either way: a failure here only leaves its drift to be checked live. */
function recordDriftOrWarn(db: Db, snapshotId: number): void {
  try {
    recordDrift(db);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    process.stderr.write(`treesnap: snapshot #${snapshotId} recorded, its drift not (${why}); drift queries check it live until a later collection records it\n`);
  }
}

export const collectCommand: CommandModule<GlobalArgs, Args> = {
  command: 'collect',
  describe: 'snapshot every source of the cluster once into the history',
  builder: (y) => withClusterOptions(y) as never,
  handler: async (argv) => {
    const opts = toCollectOptions(argv);
    // The ZooKeeper and Thrift clients load here, not at start-up: query commands do not need them.
    const { runCollection } = await import('../../collect/run-collection.js');
    const db = openDbForWrite(argv.db);
    try {
      const progress = !argv.json && process.stderr.isTTY ? progressLine(process.stderr, 'probing') : null;
      const summary = await runCollection(db, { ...opts, onProbeProgress: progress?.update });
      progress?.done();
      recordDriftOrWarn(db, summary.snapshotId);
      if (argv.json) printJson(summary);
      else process.stdout.write(`${renderCollectionText(summary)}\n`);
      const all = summary.failedSources.length === summary.sources.length;
      process.exitCode = all ? EXIT.UNAVAILABLE : summary.failedSources.length ? EXIT.PARTIAL : EXIT.OK;
    } finally {
      db.$client.close();
    }
  },
};
