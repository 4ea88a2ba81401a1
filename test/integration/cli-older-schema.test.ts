// A history written by an older treesnap (schema 0000: before checkpoints and recorded drift),
// through the CLI: read-only commands refuse it with exit 6 and leave it byte for byte; a
// writing command upgrades it, and then reads work.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { assertOneLineError, treesnap } from '../support/treesnap-cli.js';

/** The migrations folder as it was before checkpoints: only 0000. */
function oldMigrations(dir: string): string {
  const out = join(dir, 'migrations');
  cpSync(join(import.meta.dirname, '../../migrations'), out, { recursive: true });
  const journalPath = join(out, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  journal.entries = journal.entries.filter((e) => e.tag === '0000_initial');
  writeFileSync(journalPath, JSON.stringify(journal));
  return out;
}

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

test('read-only commands refuse an older schema with exit 6 and change nothing; collect upgrades it', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'treesnap-older-'));
  try {
    const db = join(dir, 'old.db');
    const c = new Database(db);
    migrate(drizzle(c), { migrationsFolder: oldMigrations(dir) });
    c.prepare('INSERT INTO snapshots (started_at, finished_at, failed_sources) VALUES (?, ?, 0)').run(Date.now() - 60_000, Date.now() - 59_000);
    c.close();
    const bytes = sha256(db);
    for (const args of [['show'], ['snapshots'], ['drift'], ['missing'], ['history', 'h1'], ['timeline', '--since', '1d ago']]) {
      const r = await treesnap([...args, '--db', db]);
      assertOneLineError(r, 6, /^treesnap: database was written by an older treesnap; the next `treesnap collect`, `run` or `prune` upgrades it$/, args[0]);
      assert.equal(sha256(db), bytes, `${args[0]}: not a byte changed`);
    }
    const upgrade = await treesnap(['collect', '--zk', '127.0.0.1:1', '--connect-timeout', '200ms', '--db', db]);
    assert.equal(upgrade.code, 5, upgrade.stderr);
    const after = await treesnap(['snapshots', '--db', db, '--json']);
    assert.equal(after.code, 0, after.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
