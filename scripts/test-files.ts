// Which test files a suite name means. A suite whose folder is missing is an error, never an
// empty list: a renamed folder must fail the run, not silently run fewer tests.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ALL_SUITES = ['unit', 'integration', 'faults'];

function find(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The test files of the named suites under `root/test`; throws a one-line error for a suite with no folder or no tests. */
export function testFiles(suites: string[], root = '.'): string[] {
  const wanted = suites.length === 0 || suites.includes('all') ? ALL_SUITES : suites;
  return wanted.flatMap((suite) => {
    const dir = join(root, 'test', suite);
    if (!isDirectory(dir)) throw new Error(`no test folder ${join('test', suite)} for suite "${suite}"`);
    const files = find(dir);
    if (files.length === 0) throw new Error(`no test files in ${join('test', suite)}`);
    return files;
  });
}
