// Every write to the history runs in one BEGIN IMMEDIATE transaction: a crash
// leaves the file as it was, readers (WAL) never see half of it, and a second
// writer waits for the lock (busy timeout) and then fails cleanly. Called
// inside another write transaction, it becomes a savepoint of that one, so
// many snapshots can be recorded in a single commit (bulk imports, the bench).
import { DatabaseError } from '../errors.js';
import { isSqliteError } from './sqlite-driver.js';
import type { Db } from './db.js';

export function withWriteTransaction<T>(db: Db, fn: () => T): T {
  try {
    return db.$client.transaction(fn).immediate();
  } catch (e) {
    // Locked past the busy timeout, read-only, disk full: nothing was written (the transaction rolled back).
    if (!isSqliteError(e)) throw e;
    const why = e.code === 'SQLITE_BUSY' ? 'database is locked by another writer (waited the busy timeout)' : `${e.message} (${e.code})`;
    throw new DatabaseError(`cannot record the snapshot: ${why}; nothing was written`);
  }
}
