// Runs node's own test runner over test files (Node 20 does not expand globs).
// Usage: tsx scripts/run-tests.ts [unit|integration|faults|all] ...
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const suites = process.argv.slice(2);
const wanted = suites.length === 0 || suites.includes('all') ? ['unit', 'integration', 'faults'] : suites;
const files = wanted.flatMap((s) => {
  try {
    return find(join('test', s));
  } catch {
    return [];
  }
});
if (files.length === 0) {
  process.stderr.write(`run-tests: no test files in ${wanted.join(', ')}\n`);
  process.exit(1);
}
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=300000', ...files],
  { stdio: 'inherit' },
);
process.exit(res.status ?? 1);
