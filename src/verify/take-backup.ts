// `treesnap backup` and the daemon's backups: a consistent copy written
// under a temporary name, verified there, then renamed into place, so DEST is
// either the previous file or a verified copy, never a partial one.
import { renameSync, rmSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { DatabaseError } from '../errors.js';
import { closeDatabase, copyHistory, headSnapshot, openDatabase, type Db } from '../store/index.js';
import { formatRange } from './damage.js';
import { verifyHistory, type VerifyResult } from './verify-history.js';

export interface BackupResult {
  path: string;
  /** The last snapshot the copy holds (0: an empty history). */
  lastSnapshot: number;
  snapshots: number;
  verify: VerifyResult;
}

function rmWithSidecars(path: string): void {
  for (const p of [path, `${path}-wal`, `${path}-shm`]) rmSync(p, { force: true });
}

/** Copies, verifies (SQLite's check and the invariants), then renames into `dest`. */
export async function takeBackup(db: Db, dest: string, pagesPerStep?: number): Promise<BackupResult> {
  const tmp = join(dirname(dest), `.${basename(dest)}.tmp-${process.pid}-${Date.now()}`);
  await copyHistory(db, tmp, pagesPerStep);
  try {
    const copy = openDatabase(tmp, { readonly: true });
    let verify: VerifyResult;
    let lastSnapshot: number;
    try {
      verify = verifyHistory(copy);
      lastSnapshot = headSnapshot(copy);
    } finally {
      closeDatabase(copy);
    }
    if (!verify.intact) {
      const d = verify.damage[0]!;
      throw new DatabaseError(`the copy failed verification (${d.kind} ${formatRange(d.from, d.to)}: ${d.detail}); ${dest} left as it was`);
    }
    // A -wal left beside an older DEST would be replayed into the new copy on its next open.
    rmSync(`${dest}-wal`, { force: true });
    rmSync(`${dest}-shm`, { force: true });
    renameSync(tmp, dest);
    rmWithSidecars(tmp);
    return { path: dest, lastSnapshot, snapshots: verify.snapshots, verify };
  } catch (e) {
    rmWithSidecars(tmp);
    throw e;
  }
}
