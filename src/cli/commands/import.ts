// `treesnap import FILE`: copies one cluster of a SQLite history into the
// history --db names (PostgreSQL, or another SQLite file) as cluster
// --cluster, with its snapshot ids, times, outcomes, versions, checkpoints and
// meta records unchanged, so every query answers for it as it did on the file.
// Refused (exit 8) when that cluster already has snapshots.
import { existsSync } from 'node:fs';
import { DatabaseError } from '../../errors.js';
import { closeDatabase, DEFAULT_CLUSTER, exportCluster, openDatabase, openHistoryStore, serverName, isPostgresUrl, type ImportCounts } from '../../store/index.js';
import { defineCommand } from '../define-command.js';
import { EXIT } from '../exit-codes.js';
import { clusterOfCall, printJson } from '../shared-options.js';

function importText(n: ImportCounts, file: string, target: string, cluster: string): string {
  const range = n.snapshots ? ` (#${n.firstSnapshotId}–#${n.lastSnapshotId})` : '';
  return `imported ${n.snapshots} snapshot(s)${range} of ${file} into ${target} as cluster ${cluster}: ${n.versions} versions of ${n.keys} facts, ${n.checkpoints} checkpoints, ${n.meta} meta records`;
}

export const importCommand = defineCommand({
  command: 'import <file>',
  describe: 'copy a SQLite history into the --db history as cluster --cluster, ids unchanged',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'the SQLite history file to copy from' })
      .option('from-cluster', { type: 'string', default: DEFAULT_CLUSTER, describe: 'which cluster of FILE to copy' }),
  run: async (argv) => {
    const file = String(argv.file);
    if (!existsSync(file)) throw new DatabaseError(`no history at ${file}`);
    const source = openDatabase(file, { readonly: true, cluster: argv.fromCluster });
    try {
      const target = await openHistoryStore(argv.db, { cluster: clusterOfCall() });
      try {
        const n = await target.importCluster(exportCluster(source));
        const where = isPostgresUrl(argv.db) ? serverName(argv.db) : argv.db;
        if (argv.json) printJson({ file, fromCluster: argv.fromCluster, cluster: clusterOfCall(), ...n });
        else process.stdout.write(`${importText(n, file, where, clusterOfCall())}\n`);
        return EXIT.OK;
      } finally {
        await target.close();
      }
    } finally {
      closeDatabase(source);
    }
  },
});
