// `treesnap collect`: one collection of one cluster into the history.
import { defineCommand } from '../define-command.js';
import { EXIT } from '../exit-codes.js';
import { withClusterOptions, toCollectOptions } from '../collect-options.js';
import { renderCollectionText } from '../render/collection-text.js';
import { progressLine } from '../render/progress.js';
import { recordCollection } from '../../record/index.js';
import { openDbForWrite, printJson } from '../shared-options.js';
import { closeDatabase } from '../../store/index.js';
import { lastKnownLeaders } from '../../collect/last-known-leaders.js';

export const collectCommand = defineCommand({
  command: 'collect',
  describe: 'snapshot every source of the cluster once into the history',
  builder: (y) => withClusterOptions(y),
  run: async (argv) => {
    const opts = toCollectOptions(argv);
    // The ZooKeeper and Thrift clients load here, not at start-up: query commands do not need them.
    const { collect } = await import('../../collect/collect.js');
    const db = openDbForWrite(argv.db);
    try {
      const progress = !argv.json && process.stderr.isTTY ? progressLine(process.stderr, 'probing') : null;
      const observation = await collect({ ...opts, lastKnownLeaders: lastKnownLeaders(db), onProbeProgress: progress?.update });
      progress?.done();
      // The snapshot is recorded either way: a failure to record its drift only leaves that to be checked live.
      const { summary, drift } = recordCollection(db, observation);
      if (!drift.ok) {
        process.stderr.write(
          `treesnap: snapshot #${summary.snapshotId} recorded, its drift not (${drift.error}); drift queries check it live until a later collection records it\n`,
        );
      }
      if (argv.json) printJson(summary);
      else process.stdout.write(`${renderCollectionText(summary)}\n`);
      const all = summary.failedSources.length === summary.sources.length;
      return all ? EXIT.UNAVAILABLE : summary.failedSources.length ? EXIT.PARTIAL : EXIT.OK;
    } finally {
      closeDatabase(db);
    }
  },
});
