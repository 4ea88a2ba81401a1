// `treesnap backup DEST`: a consistent, verified copy of the history, safe
// while the daemon writes (src/verify/take-backup.ts).
import { existsSync, statSync } from 'node:fs';
import { join, basename } from 'node:path';
import { DatabaseError } from '../../errors.js';
import { takeBackup } from '../../verify/take-backup.js';
import { closeDatabase } from '../../store/index.js';
import { defineCommand } from '../define-command.js';
import { EXIT } from '../exit-codes.js';
import { openDbForRead, printJson, sqliteHistoryPath } from '../shared-options.js';

/** DEST may name a directory: the copy then keeps the history's file name. */
function destination(dest: string, db: string): string {
  return existsSync(dest) && statSync(dest).isDirectory() ? join(dest, basename(db)) : dest;
}

export const backupCommand = defineCommand({
  command: 'backup <dest>',
  describe: 'write a consistent, verified copy of the history (safe while `run` writes)',
  builder: (y) => y.positional('dest', { type: 'string', demandOption: true, describe: 'file (or directory) to write the copy to' }),
  run: async (argv) => {
    sqliteHistoryPath(argv.db);
    if (argv.db === ':memory:' || !existsSync(argv.db)) throw new DatabaseError(`no history at ${argv.db}`);
    const dest = destination(String(argv.dest), argv.db);
    const db = openDbForRead(argv.db);
    try {
      const r = await takeBackup(db, dest);
      if (argv.json) printJson({ file: argv.db, backup: r.path, lastSnapshot: r.lastSnapshot, snapshots: r.snapshots, verified: r.verify.intact });
      else process.stdout.write(`backed up ${r.snapshots} snapshot(s) through #${r.lastSnapshot} to ${r.path} (verified)\n`);
      return EXIT.OK;
    } finally {
      closeDatabase(db);
    }
  },
});
