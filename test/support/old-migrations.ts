// The migrations folder as an older treesnap shipped it: a copy whose journal
// stops at migration `lastIdx`, so a test can write a file in that schema and
// then let the current code migrate it in place.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function migrationsThrough(dir: string, lastIdx: number): string {
  const out = join(dir, 'migrations');
  cpSync(join(import.meta.dirname, '../../migrations'), out, { recursive: true });
  const journalPath = join(out, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number }[] };
  journal.entries = journal.entries.filter((e) => e.idx <= lastIdx);
  writeFileSync(journalPath, JSON.stringify(journal));
  return out;
}
