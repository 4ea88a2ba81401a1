// Ignore rules (pure + parsing). JSON, since there is no YAML dependency and
// JSON.parse gives exact errors; the file is `{"rules": [...]}` so fields can
// be added later. An ignored item is never dropped: matching returns it with
// the rule that matched. An expired rule stops matching and is reported.
import { UsageError } from '../errors.js';

export interface IgnoreRule {
  kind: string;
  /** Glob on the item's ids joined by ",": `*` any run, `?` one char. */
  ids: string;
  reason: string;
  owner: string;
  /** YYYY-MM-DD; the rule matches up to and including this day (UTC). */
  until: string;
}

interface Item {
  kind: string;
  ids: string[];
}

export interface IgnoreMatch<T extends Item> {
  kept: T[];
  ignored: { item: T; rule: IgnoreRule }[];
  expiredRules: IgnoreRule[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function fail(file: string, msg: string): never {
  throw new UsageError(`ignore rules ${file}: ${msg}`);
}

export function parseIgnoreRules(text: string, file: string, knownKinds: readonly string[]): IgnoreRule[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    fail(file, `not JSON (${(e as Error).message.split('\n')[0]})`);
  }
  const rules = (doc as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules)) fail(file, 'expected {"rules": [...]}');
  return rules.map((r: unknown, i: number): IgnoreRule => {
    const at = `rules[${i}]`;
    if (typeof r !== 'object' || r === null) fail(file, `${at} is not an object`);
    const o = r as Record<string, unknown>;
    for (const f of ['kind', 'ids', 'reason', 'owner', 'until'] as const) {
      if (typeof o[f] !== 'string' || o[f] === '') fail(file, `${at}.${f} must be a non-empty string`);
    }
    if (!knownKinds.includes(o.kind as string)) fail(file, `${at}.kind '${o.kind}' is not a drift kind`);
    if (!DATE.test(o.until as string) || Number.isNaN(Date.parse(o.until as string))) fail(file, `${at}.until must be YYYY-MM-DD`);
    return { kind: o.kind, ids: o.ids, reason: o.reason, owner: o.owner, until: o.until } as IgnoreRule;
  });
}

export function globToRegExp(glob: string): RegExp {
  const body = [...glob].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`);
}

/** `today` is YYYY-MM-DD (UTC). */
export function isExpired(rule: IgnoreRule, today: string): boolean {
  return rule.until < today;
}

export function matchIgnoreRules<T extends Item>(items: readonly T[], rules: readonly IgnoreRule[], today: string): IgnoreMatch<T> {
  const live = rules.filter((r) => !isExpired(r, today)).map((r) => ({ rule: r, re: globToRegExp(r.ids) }));
  const out: IgnoreMatch<T> = { kept: [], ignored: [], expiredRules: rules.filter((r) => isExpired(r, today)) };
  for (const item of items) {
    const hit = live.find((l) => l.rule.kind === item.kind && l.re.test(item.ids.join(',')));
    if (hit) out.ignored.push({ item, rule: hit.rule });
    else out.kept.push(item);
  }
  return out;
}

/**
 * `drift --accept`: today's drift as rules, one per distinct item. The glob has
 * no escape, so a `*` or `?` inside an id is written as `?` (one character):
 * the rule still matches that item, at worst a few look-alikes too.
 */
export function acceptRules(items: readonly Item[], accept: { reason: string; owner: string; until: string }): { rules: IgnoreRule[] } {
  if (!DATE.test(accept.until)) throw new UsageError(`--until: expected YYYY-MM-DD, got '${accept.until}'`);
  if (accept.reason.trim() === '') throw new UsageError('--reason must not be empty');
  const seen = new Set<string>();
  const rules: IgnoreRule[] = [];
  for (const item of items) {
    const ids = item.ids.join(',').replace(/[*?]/g, '?');
    const key = `${item.kind}:${ids}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rules.push({ kind: item.kind, ids, reason: accept.reason, owner: accept.owner, until: accept.until });
  }
  return { rules };
}
