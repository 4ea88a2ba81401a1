// Whether each source was read in a snapshot (pure). A source that failed is
// unknown there: its facts are only "as last known", so nothing may be
// concluded from them about that snapshot.
import { SOURCES, type SourceName } from '../snapshot/source-name.js';
import type { SourceOutcome } from '../store/index.js';

export type SourceKnowledge =
  | { known: true }
  | { known: false; error: { kind: string; message: string }; lastOkSnapshot: number | null };

export type Knowledge = Record<SourceName, SourceKnowledge>;

const NOT_COLLECTED = { kind: 'not_collected', message: 'not collected in this snapshot' };

/** `lastOk`: for a failed source, the latest earlier snapshot in which it was read OK. */
export function knowledgeFromOutcomes(
  outcomes: readonly Pick<SourceOutcome, 'source' | 'ok' | 'errorKind' | 'errorMessage'>[],
  lastOk: (source: SourceName) => number | null,
): Knowledge {
  const out = {} as Knowledge;
  for (const source of SOURCES) {
    const o = outcomes.find((x) => x.source === source);
    if (o?.ok) {
      out[source] = { known: true };
      continue;
    }
    const error = o ? { kind: o.errorKind ?? 'unknown', message: o.errorMessage ?? '' } : NOT_COLLECTED;
    out[source] = { known: false, error, lastOkSnapshot: lastOk(source) };
  }
  return out;
}

export function allKnown(): Knowledge {
  return Object.fromEntries(SOURCES.map((s) => [s, { known: true }])) as Knowledge;
}

export function knownSources(k: Knowledge): Set<SourceName> {
  return new Set(SOURCES.filter((s) => k[s].known));
}

export function unknownSources(k: Knowledge): SourceName[] {
  return SOURCES.filter((s) => !k[s].known);
}
