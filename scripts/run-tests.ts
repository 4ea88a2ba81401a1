// Runs node's own test runner over test files (Node 20 does not expand globs).
// The integration suite gets a PostgreSQL server (TREESNAP_PG): the one named,
// else a throwaway one started here and stopped afterwards (with-postgres.ts).
// Usage: tsx scripts/run-tests.ts [unit|integration|faults|all] ...
import { spawn } from 'node:child_process';
import { testFiles } from './test-files.js';
import { postgresForRun } from './postgres-server.js';

async function main(): Promise<number> {
  const suites = process.argv.slice(2);
  let files: string[];
  try {
    files = testFiles(suites);
  } catch (err) {
    process.stderr.write(`run-tests: ${(err as Error).message}\n`);
    return 1;
  }
  const needsPostgres = suites.length === 0 || suites.some((s) => s === 'all' || s === 'integration');
  // A server that cannot start ends the run here (exit 1): its tests never pass as skipped.
  const pg = needsPostgres ? await postgresForRun() : null;
  try {
    // Catches hangs only: the install test (two npm installs, one compiling better-sqlite3) took 245 s on a loaded machine.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=600000', ...files],
      { stdio: 'inherit', env: pg ? { ...process.env, TREESNAP_PG: pg.url } : process.env },
    );
    const forward = (sig: NodeJS.Signals) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    return await new Promise<number>((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 128 + 1 : 1))));
  } finally {
    await pg?.server?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`run-tests: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
