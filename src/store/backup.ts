// A consistent copy of a history through SQLite's online backup API (I/O):
// it copies pages while other connections keep writing, and restarts on its
// own when a write changes a page it already copied, so the copy is the
// history as of one commit. Plain file copies are not (a write transaction
// or a WAL beside the file leaves a copy of no single moment).
import { closeSync, openSync, rmSync } from 'node:fs';
import { DatabaseError } from '../errors.js';
import type { Db } from './db.js';

/** Every page in one step: one read transaction, which no other connection's write can restart. */
export const ALL_PAGES = 0x7fffffff;

/**
 * Copies `db` into `path`, which must not exist; created owner-only, as the
 * history itself. SQLite restarts a backup whenever another connection
 * writes between two steps, so a copy beside a daemon that writes every
 * second is taken in one step (`ALL_PAGES`, the CLI); the daemon copies its
 * own connection, whose writes never restart it, in smaller steps between ticks.
 */
export async function copyHistory(db: Db, path: string, pagesPerStep = ALL_PAGES): Promise<void> {
  try {
    closeSync(openSync(path, 'wx', 0o600));
    await db.$client.backup(path, { progress: () => pagesPerStep });
  } catch (e) {
    rmSync(path, { force: true });
    throw new DatabaseError(`backup to ${path} failed: ${(e as Error).message}`);
  }
}
