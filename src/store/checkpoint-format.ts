// A state checkpoint as stored (pure): every fact of one source holding at one
// snapshot, and the rule for when a new checkpoint is due.
//
// The text is a flat JSON array [kind, entity, value, kind, entity, value, ...]
// of strings, values kept as their canonical JSON. One JSON.parse of strings is
// several times cheaper than parsing every value into objects, and most
// readers only parse the values they use (a diff compares the text).
import { FACT_KINDS, type FactKind } from '../snapshot/fact.js';

export interface StoredFact {
  kind: FactKind;
  entity: string;
  /** canonical JSON */
  value: string;
}

export function encodeState(facts: Iterable<StoredFact>): string {
  const flat: string[] = [];
  for (const f of facts) flat.push(f.kind, f.entity, f.value);
  return JSON.stringify(flat);
}

const KINDS: ReadonlySet<string> = new Set(FACT_KINDS);

/** null: not a checkpoint this build wrote (a damaged file). */
export function decodeState(text: string): StoredFact[] | null {
  let flat: unknown;
  try {
    flat = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(flat) || flat.length % 3 !== 0) return null;
  const facts: StoredFact[] = new Array(flat.length / 3);
  for (let i = 0; i < flat.length; i += 3) {
    const [kind, entity, value] = [flat[i], flat[i + 1], flat[i + 2]] as unknown[];
    if (typeof kind !== 'string' || !KINDS.has(kind) || typeof entity !== 'string' || typeof value !== 'string') return null;
    facts[i / 3] = { kind: kind as FactKind, entity, value };
  }
  return facts;
}

/**
 * Versions of a source a reader may have to apply after its checkpoint before
 * a new one is written. Small states still get a checkpoint now and then, so
 * reading a long history of a small cluster stays bounded too.
 */
export const MIN_VERSIONS_PER_CHECKPOINT = 512;

/**
 * A new checkpoint is due once the versions since the last one outnumber the
 * facts it held: reading then never applies more versions than the state has
 * facts, and checkpoints add at most about one fact's worth of bytes per
 * version written.
 */
export function checkpointThreshold(lastCheckpointFacts: number): number {
  return Math.max(MIN_VERSIONS_PER_CHECKPOINT, lastCheckpointFacts);
}
