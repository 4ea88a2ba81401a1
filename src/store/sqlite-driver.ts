// better-sqlite3. The CLI's bundle holds its JavaScript (scripts/build.mjs);
// its native addon is loaded when the first database is opened, straight
// from where npm built it rather than through the `bindings` package's
// search of a dozen paths.
import Database from 'better-sqlite3';
import { createRequire } from 'node:module';

let addon: string | null | undefined;

/** The built addon's path, or null to let better-sqlite3 search for it. */
function addonPath(): string | null {
  if (addon === undefined) {
    try {
      addon = createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');
    } catch {
      addon = null;
    }
  }
  return addon;
}

export function openSqlite(path: string, options: Database.Options): Database.Database {
  const nativeBinding = addonPath();
  return new Database(path, nativeBinding ? { ...options, nativeBinding } : options);
}

export function isSqliteError(e: unknown): e is InstanceType<typeof Database.SqliteError> {
  return e instanceof Database.SqliteError;
}
