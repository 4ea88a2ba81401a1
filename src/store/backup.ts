// A consistent copy of a history through SQLite's online backup API (I/O):
// it copies pages while other connections keep writing, and restarts on its
// own when a write changes a page it already copied, so the copy is the
// history as of one commit. Plain file copies are not (a write transaction
// or a WAL beside the file leaves a copy of no single moment).
import { closeSync, openSync, rmSync } from 'node:fs';
import { DatabaseError } from '../errors.js';
import type { Db } from './open-database.js';

/** Copies `db` into `path`, which must not exist; created owner-only, as the history itself. */
export async function copyHistory(db: Db, path: string): Promise<void> {
  try {
    closeSync(openSync(path, 'wx', 0o600));
    await db.$client.backup(path);
  } catch (e) {
    rmSync(path, { force: true });
    throw new DatabaseError(`backup to ${path} failed: ${(e as Error).message}`);
  }
}
