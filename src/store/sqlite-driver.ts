// better-sqlite3, loaded on first use instead of at import. The CLI's V8
// startup snapshot (scripts/build.mjs) cannot hold a native addon, so the
// addon must load when a command runs; and `--help` never needs it.
import type BetterSqlite3 from 'better-sqlite3';
import { createRequire } from 'node:module';

let driver: typeof BetterSqlite3 | undefined;

export function sqliteDriver(): typeof BetterSqlite3 {
  driver ??= createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  return driver;
}
