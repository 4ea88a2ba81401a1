// `treesnap report` through yargs, in process, against a store file written
// with the real writer: formats, output file, and its errors' exit codes.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import yargs from 'yargs';
import { reportCommand } from '../../../src/cli/commands/report.js';
import { EXIT, exitCodeFor } from '../../../src/cli/exit-codes.js';
import { withGlobalOptions } from '../../../src/cli/shared-options.js';
import { UsageError } from '../../../src/errors.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { writeSnapshot } from '../../../src/store/write-snapshot.js';
import { observation, type ClusterSpec } from '../../support/observation.js';
import { mark } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'treesnap-report-cmd-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const DB = join(dir, 'history.db');
{
  const base: ClusterSpec = { leaves: { L1: ['h1', 'h2'], L2: ['h3'] } };
  const db = openDatabase(DB);
  [base, { ...base, offline: ['h3'] }, { ...base, offline: ['h3'], missing: ['h3'] }, base].forEach((s, i) =>
    writeSnapshot(db, observation({ ...s, at: mark(i + 1).startedAt })),
  );
  db.$client.close();
}

async function run(...args: string[]): Promise<{ code: number; out: string; error?: string }> {
  const out: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  try {
    await withGlobalOptions(yargs(['--db', DB, 'report', ...args]))
      .command(reportCommand)
      .strict()
      .fail((msg, e) => {
        throw e ?? new UsageError(msg);
      })
      .parseAsync();
    return { code: EXIT.OK, out: out.join('') };
  } catch (e) {
    return { code: exitCodeFor(e), out: out.join(''), error: (e as Error).message };
  } finally {
    process.stdout.write = write;
  }
}

const SINCE = '2026-11-25T03:00Z';

test('HTML on stdout by default; Markdown by --format or by the output file name', async () => {
  const html = await run('--since', SINCE);
  assert.equal(html.code, EXIT.OK);
  assert.match(html.out, /^<!doctype html>/);
  assert.match(html.out, /<td class="tone-bad">h3<\/td>/);

  const md = await run('--since', SINCE, '--format', 'md');
  assert.match(md.out, /^# treesnap report 2026-11-25T03:05:00Z → 2026-11-25T03:20:00Z\n/);

  const file = join(dir, 'incident.md');
  assert.deepEqual(await run('--since', SINCE, '-o', file), { code: EXIT.OK, out: '' });
  assert.equal(readFileSync(file, 'utf8'), md.out);
  const forced = join(dir, 'incident.md.html');
  await run('--since', SINCE, '--output', forced, '--format', 'html');
  assert.match(readFileSync(forced, 'utf8'), /^<!doctype html>/);
});

test('--until bounds the window; --max-rows caps the tables', async () => {
  const md = await run('--since', SINCE, '--until', '2026-11-25T03:10Z', '--format', 'md', '--max-rows', '1');
  assert.match(md.out, /Snapshots #1 to #2, 2 collections/);
  assert.match(md.out, /_1 more not shown \(1 of 2\); raise --max-rows to see them._/);
});

test('errors: usage (exit 2), no snapshot in the window (exit 7), an unwritable output leaves nothing behind', async () => {
  assert.equal((await run('--since', SINCE, '--json')).code, EXIT.USAGE);
  assert.equal((await run('--since', SINCE, '--max-rows', '0')).code, EXIT.USAGE);
  assert.equal((await run('--since', SINCE, '--format', 'pdf')).code, EXIT.USAGE);
  assert.equal((await run('--since', 'yesterday-ish')).code, EXIT.USAGE);
  assert.equal((await run('--since', '2026-11-25T04:00Z', '--until', '2026-11-25T03:00Z')).code, EXIT.USAGE);
  assert.equal((await run()).code, EXIT.USAGE, '--since is required');
  const none = await run('--since', '2027-01-01T00:00Z');
  assert.deepEqual([none.code, none.error], [EXIT.NOT_FOUND, 'no snapshot in that time window']);
  const missingDir = join(dir, 'no-such-dir', 'r.html');
  const bad = await run('--since', SINCE, '-o', missingDir);
  assert.equal(bad.code, EXIT.USAGE);
  assert.match(bad.error!, /--output: cannot write \/.*: the directory does not exist/);
  assert.equal(existsSync(join(dir, 'no-such-dir')), false);
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
});
