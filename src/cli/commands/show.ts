// `treesnap show [SNAPSHOT | --at TIME] [--source zk|chairman|root|agents]`
import { UsageError } from '../../errors.js';
import { loadSnapshotOverview, loadSnapshotView } from '../../query/load-snapshot.js';
import type { OverviewParts } from '../../query/snapshot-view.js';

import { renderSnapshotText } from '../render/snapshot-text.js';
import { defineQueryCommand } from '../query-command.js';
import { snapshotRefArg } from '../shared-options.js';

type ShowSource = 'zk' | 'chairman' | 'root' | 'agents';

const FIRST_LEAVES = 50;

/** What `show` reads for its text: the views it prints, their first 50 leaves unless --all, no verdict list, the agents only when printed (else the roles the tree marks). */
export function showParts(sources: readonly ShowSource[], all: boolean): OverviewParts {
  return { chairman: sources.includes('chairman'), root: sources.includes('root'), verdicts: false, agents: sources.includes('agents'), leafLimit: all ? Infinity : FIRST_LEAVES };
}

const SHOW_SOURCES = ['zk', 'chairman', 'root', 'agents'] as const satisfies readonly ShowSource[];

export const showCommand = defineQueryCommand({
  command: 'show [snapshot]',
  describe: 'the scheduler tree as recorded in one snapshot',
  builder: (y) =>
    y
      .positional('snapshot', { type: 'string', describe: 'id, latest, latest~N, ISO time or "2h ago" (default latest)' })
      .option('at', { type: 'string', describe: 'the snapshot in force at this time' })
      .option('source', { type: 'string', array: true, choices: SHOW_SOURCES, describe: 'which views to print (default zk)' })
      .option('all', { type: 'boolean', default: false, describe: `print every leaf (default: first ${FIRST_LEAVES})` }),
  check: (argv) => {
    if (argv.snapshot && argv.at) throw new UsageError('give a snapshot or --at, not both');
  },
  answer: (db, argv, now) => {
    const snapshot = db.resolveSnapshot(snapshotRefArg(argv.at ?? argv.snapshot ?? 'latest', now));
    const sources = argv.source ?? ['zk'];
    return {
      json: () => loadSnapshotView(db, snapshot),
      text: () => renderSnapshotText(loadSnapshotOverview(db, snapshot, showParts(sources, argv.all)), { sources }),
    };
  },
});
