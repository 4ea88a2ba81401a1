// Options every command shares, and the small helpers handlers use to turn
// them into typed values. Validation failures are UsageErrors (exit 2).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Argv } from 'yargs';
import { defaultDbPath } from '../config/default-db-path.js';
import { envDefault } from '../config/env-default.js';
import { UsageError } from '../errors.js';
import { parseSnapshotRef, type SnapshotRef } from '../query/snapshot-ref.js';
import { parseDuration, parseTime } from '../query/time-expr.js';
import { openDatabase, type Db } from '../store/open-database.js';

export interface GlobalArgs {
  db: string;
  json: boolean;
}

export function withGlobalOptions<T>(y: Argv<T>) {
  return y
    .option('db', {
      type: 'string',
      describe: 'SQLite history file (env TREESNAP_DB)',
      default: envDefault('DB') ?? defaultDbPath(),
      defaultDescription: '$TREESNAP_DB or $XDG_STATE_HOME/treesnap/treesnap.db',
    })
    .option('json', { type: 'boolean', default: false, describe: 'machine-readable output (schemas in docs/json.md)' });
}

export function openDbForWrite(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  return openDatabase(path);
}

export function openDbForRead(path: string): Db {
  return openDatabase(path, { readonly: true });
}

export function snapshotRefArg(text: string, now: number, what = 'snapshot'): SnapshotRef {
  const r = parseSnapshotRef(String(text), now);
  if (!r.ok) throw new UsageError(`${what}: ${r.error}`);
  return r.value;
}

export function timeArg(text: string | undefined, now: number, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const r = parseTime(String(text), now);
  if (!r.ok) throw new UsageError(`--${flag}: ${r.error}`);
  return r.value;
}

export function durationArg(text: string, flag: string): number {
  const r = parseDuration(String(text));
  if (!r.ok) throw new UsageError(`--${flag}: ${r.error}`);
  return r.value;
}

export function windowArgs(since: string | undefined, until: string | undefined, now: number): { since?: number; until?: number } {
  const s = timeArg(since, now, 'since');
  const u = timeArg(until, now, 'until');
  if (s !== undefined && u !== undefined && s > u) throw new UsageError('--since is after --until');
  return { since: s, until: u };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
