// SQLite's own checks of a history file, and how its corruption errors are
// recognised (I/O). `quick_check` reads every page once (O(file size)) and
// checks the b-trees' shape; `integrity_check` also checks every index
// against its table. Neither knows what the rows mean: src/verify/ does.
import { DatabaseError } from '../errors.js';
import type { Db } from './db.js';
import { isSqliteError, openSqlite } from './sqlite-driver.js';
import { DamagedValueError } from './value-codec.js';

/** SQLite's error codes for a damaged file (SQLITE_CORRUPT and its extended codes, SQLITE_NOTADB), and a packed value that does not read back. */
export function isCorruption(e: unknown): boolean {
  if (e instanceof DamagedValueError) return true;
  if (!isSqliteError(e)) return false;
  return e.code.startsWith('SQLITE_CORRUPT') || e.code === 'SQLITE_NOTADB';
}

/** The problems SQLite finds in the history: [] when it is intact. At most `limit` of them. */
export function sqliteProblems(db: Db, quick: boolean, limit = 100): string[] {
  return clientProblems(db.$client, quick, limit);
}

function clientProblems(client: Db['$client'], quick: boolean, limit: number): string[] {
  try {
    const rows = client.pragma(`${quick ? 'quick_check' : 'integrity_check'}(${limit})`, { simple: false }) as Record<string, string>[];
    const lines = rows.map((r) => String(Object.values(r)[0]));
    return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
  } catch (e) {
    // A page so damaged that the check itself cannot walk the file.
    if (isCorruption(e)) return [(e as Error).message];
    throw e;
  }
}

/** What to tell an operator whose file is damaged: one line, naming the file and the next step. */
export function damagedFileMessage(path: string, what: string, consequence = 'nothing was written'): string {
  return `${path} is damaged (${what}); ${consequence}. Run \`treesnap verify --db ${path}\` to see which snapshots are affected, then restore a backup or salvage (README "Backups and recovery")`;
}

/** Refuses to write into a damaged file: SQLite's quick check must pass first. */
export function refuseDamaged(db: Db, path: string): void {
  const problems = sqliteProblems(db, true, 1);
  if (problems.length) throw new DatabaseError(damagedFileMessage(path, `SQLite quick_check: ${problems[0]}`));
}

/**
 * SQLite's quick check of the file as it is on disk, through a connection of
 * its own: a long-lived writer's page cache would answer for the pages it
 * holds and hide damage done to them on disk since.
 */
export function fileProblems(path: string, limit = 5): string[] {
  let client;
  try {
    client = openSqlite(path, { readonly: true, fileMustExist: true });
  } catch (e) {
    return [`cannot open: ${(e as Error).message}`];
  }
  try {
    return clientProblems(client, true, limit);
  } catch (e) {
    return [(e as Error).message];
  } finally {
    client.close();
  }
}
