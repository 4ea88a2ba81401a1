// `treesnap collect`: one collection of one cluster into the history, the
// snapshot and its drift (record/): a SQLite file through its handle, a
// postgres:// history through the store's contract and its reader
// (record/record-in-store.ts).
import type { LastKnownLeaders } from '../../collect/leader-address.js';
import type { CollectionSummary } from '../../collect/collection-summary.js';
import type { Observation } from '../../model/observation.js';
import { defineCommand } from '../define-command.js';
import { EXIT } from '../exit-codes.js';
import { withClusterOptions, toCollectOptions } from '../collect-options.js';
import { renderCollectionText } from '../render/collection-text.js';
import { progressLine } from '../render/progress.js';
import { recordCollection, type RecordedCollection } from '../../record/index.js';
import { recordCollectionIn } from '../../record/record-in-store.js';
import { clusterOfCall, openDbForWrite, printJson } from '../shared-options.js';
import { closeDatabase, isPostgresUrl, openHistoryStore, openPostgresReader } from '../../store/index.js';
import { lastKnownLeaders, lastKnownLeadersIn } from '../../collect/last-known-leaders.js';

type Observe = (leaders: LastKnownLeaders) => Promise<Observation>;

function report(summary: CollectionSummary, json: boolean): number {
  if (json) printJson(summary);
  else process.stdout.write(`${renderCollectionText(summary)}\n`);
  const all = summary.failedSources.length === summary.sources.length;
  return all ? EXIT.UNAVAILABLE : summary.failedSources.length ? EXIT.PARTIAL : EXIT.OK;
}

async function collectIntoSqlite(path: string, observe: Observe, json: boolean): Promise<number> {
  const db = openDbForWrite(path);
  try {
    const observation = await observe(lastKnownLeaders(db));
    return reported(recordCollection(db, observation), json);
  } finally {
    closeDatabase(db);
  }
}

/** The snapshot is recorded either way: a failure to record its drift only leaves that to be checked live. */
function reported({ summary, drift }: RecordedCollection, json: boolean): number {
  if (!drift.ok) {
    process.stderr.write(
      `treesnap: snapshot #${summary.snapshotId} recorded, its drift not (${drift.error}); drift queries check it live until a later collection records it\n`,
    );
  }
  return report(summary, json);
}

/** The history opened (and its server reached) before the cluster is probed, as a SQLite file is. */
async function collectIntoPostgres(url: string, observe: Observe, json: boolean): Promise<number> {
  const store = await openHistoryStore(url, { cluster: clusterOfCall() });
  try {
    const db = await openPostgresReader(url, { cluster: clusterOfCall() });
    try {
      return reported(await recordCollectionIn(store, db, await observe(await lastKnownLeadersIn(store))), json);
    } finally {
      await db.close();
    }
  } finally {
    await store.close();
  }
}

export const collectCommand = defineCommand({
  command: 'collect',
  describe: 'snapshot every source of the cluster once into the history',
  builder: (y) => withClusterOptions(y),
  run: async (argv) => {
    const opts = toCollectOptions(argv);
    // The ZooKeeper and Thrift clients load here, not at start-up: query commands do not need them.
    const { collect } = await import('../../collect/collect.js');
    const observe: Observe = async (leaders) => {
      const progress = !argv.json && process.stderr.isTTY ? progressLine(process.stderr, 'probing') : null;
      const observation = await collect({ ...opts, lastKnownLeaders: leaders, onProbeProgress: progress?.update });
      progress?.done();
      return observation;
    };
    if (isPostgresUrl(argv.db)) return collectIntoPostgres(argv.db, observe, argv.json);
    return collectIntoSqlite(argv.db, observe, argv.json);
  },
});
