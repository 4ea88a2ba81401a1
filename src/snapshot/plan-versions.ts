// Plans the version rows one collection writes for one source (pure): a new
// version where a fact's value changed or it appeared, a tombstone where it
// disappeared (unless the keep rule says its absence is unknown, not real).
import type { Observation } from '../model/observation.js';
import type { ZkStat } from '../model/zk-stat.js';
import { canonicalJson } from './canonical-json.js';
import { encodedValues } from './encoded-facts.js';
import { factKey, splitFactKey, type Fact, type FactKind } from './fact.js';
import type { KeepRule, SourceFacts } from './source-facts.js';
import { statFacts, statJson } from './zk-stat-facts.js';

export interface VersionWrite {
  kind: FactKind;
  entity: string;
  /** canonical JSON, or null for "no longer holds". */
  value: string | null;
}

/** One source's plan: its writes, and how many facts it did not see were kept (the keep rule). */
export interface SourcePlan {
  writes: VersionWrite[];
  kept: number;
}

/**
 * previous: fact key → canonical JSON of the value currently holding.
 * `encode` is given each fact's value and its index in `facts` (src/snapshot/encoded-facts.ts).
 */
export function planVersions(
  previous: ReadonlyMap<string, string>,
  facts: readonly Pick<Fact, 'kind' | 'entity' | 'value'>[],
  keep: KeepRule,
  encode: (value: Fact['value'], index: number) => string = canonicalJson,
): SourcePlan {
  const writes: VersionWrite[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < facts.length; i++) {
    const fact = facts[i]!;
    const key = factKey(fact.kind, fact.entity);
    if (seen.has(key)) continue; // a source naming one entity twice: the first wins
    seen.add(key);
    const value = encode(fact.value, i);
    if (previous.get(key) !== value) writes.push({ kind: fact.kind, entity: fact.entity, value });
  }
  let kept = 0;
  for (const [key, value] of previous) {
    if (seen.has(key)) continue;
    const { kind, entity } = splitFactKey(key);
    if (keep(kind, entity, JSON.parse(value))) kept++;
    else writes.push({ kind, entity, value: null });
  }
  return { writes, kept };
}

/** One source's plan (a successful read), its values encoded once per reading (encoded-facts.ts). */
export function planSourceVersions(previous: ReadonlyMap<string, string>, sf: Extract<SourceFacts, { ok: true }>): SourcePlan {
  const values = encodedValues(sf.reading.result, sf.facts, (f) => canonicalJson(f.value));
  return planVersions(previous, sf.facts, sf.keep, (_, i) => values[i]!);
}

/** The Stat records' plan (zk-stat-facts.ts), encoded once per observation's Stats. */
export function planStatVersions(previous: ReadonlyMap<string, string>, obs: Observation): SourcePlan {
  const stats = statFacts(obs);
  const values = encodedValues(obs.zkStats, stats.facts, (f) => statJson(f.value as ZkStat));
  return planVersions(previous, stats.facts, stats.keep, (_, i) => values[i]!);
}
