// `drift`'s settle window, ignore rules file and --fail-on, from the command
// line or the config file (I/O: reads and, for --accept, writes the rules
// file; only the CLI writes it, it is the team's file, not the history).
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { parseFailOn } from '../query/drift-alerting.js';
import { DRIFT_KINDS } from '../query/drift-kinds.js';
import { acceptRules, parseIgnoreRules, type IgnoreRule } from '../query/ignore-rules.js';
import { DEFAULT_SETTLE_MS, parseSettle, parseSettlePerKind, type SettleConfig } from '../query/settling.js';
import { fileErrorText } from '../util/file-error.js';

/**
 * `--settle 90s`, or from the config file either a duration or
 * `{"default": "60s", "<kind>": "2m", ...}`.
 */
export function settleConfigArg(value: unknown): SettleConfig {
  if (value === undefined) return { defaultMs: DEFAULT_SETTLE_MS, perKind: {} };
  if (typeof value === 'string') return { defaultMs: parseSettle(value), perKind: {} };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError('settle: expected a duration like 60s, or an object of kind: duration (and "default")');
  }
  const { default: dflt, ...perKind } = value as Record<string, unknown>;
  if (dflt !== undefined && typeof dflt !== 'string') throw new UsageError('settle.default: expected a duration string');
  return { defaultMs: dflt === undefined ? DEFAULT_SETTLE_MS : parseSettle(dflt, 'settle.default'), perKind: parseSettlePerKind(perKind, DRIFT_KINDS) };
}

export function failOnArg(text: string | undefined): string[] | null {
  return text === undefined ? null : parseFailOn(String(text), DRIFT_KINDS);
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`ignore rules: ${fileErrorText('read', file, e)}`);
  }
}

/** The rules of `--ignore FILE` (none without it); an unreadable or malformed file is a UsageError. */
export function ignoreRulesArg(file: string | undefined): IgnoreRule[] {
  return file === undefined ? [] : parseIgnoreRules(readText(file), file, DRIFT_KINDS);
}

export interface AcceptArgs {
  file: string;
  reason: string;
  owner: string;
  until: string;
}

/**
 * `drift --accept`: the rules already in the file, which the new ones are
 * added to; none when it does not exist. A file that exists but does not
 * parse is refused without --force, which replaces it.
 */
export function existingRules(file: string, force: boolean): IgnoreRule[] {
  if (!existsSync(file)) return [];
  try {
    return parseIgnoreRules(readText(file), file, DRIFT_KINDS);
  } catch (e) {
    if (force) return [];
    throw new UsageError(`${(e as Error).message} (refusing to overwrite it; --force replaces it)`);
  }
}

/**
 * The items as rules after `kept`. The items are drift no live rule matched
 * (matching used `kept`), so nothing is covered twice; an item whose rule
 * expired gets a new one beside it. Written to a temporary file and
 * renamed, so a reader never sees half a file.
 */
export function writeAcceptedRules(
  items: readonly { kind: string; ids: string[] }[],
  kept: readonly IgnoreRule[],
  a: AcceptArgs,
): { added: number; total: number } {
  const added = acceptRules(items, a).rules;
  const rules = [...kept, ...added];
  const tmp = `${a.file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, `${JSON.stringify({ rules }, null, 2)}\n`);
    renameSync(tmp, a.file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new UsageError(`--accept: ${fileErrorText('write', a.file, e)}`);
  }
  return { added: added.length, total: rules.length };
}
