// Runs node's own test runner over test files (Node 20 does not expand globs).
// Usage: tsx scripts/run-tests.ts [unit|integration|faults|all] ...
import { spawnSync } from 'node:child_process';
import { testFiles } from './test-files.js';

let files: string[];
try {
  files = testFiles(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`run-tests: ${(err as Error).message}\n`);
  process.exit(1);
}
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=300000', ...files],
  { stdio: 'inherit' },
);
process.exit(res.status ?? 1);
