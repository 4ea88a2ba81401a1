// Alerting (pure): which drift fails a cron run (`drift --fail-on KIND,...`)
// and the per-kind counts `treesnap run` exports as gauges. Settling and
// ignored items never fail a run; they are counted so a dashboard sees them.
import { UsageError } from '../errors.js';

export type AlertState = 'settled' | 'settling' | 'ignored';

/** "a,b" → kinds; empty, unknown or repeated kinds are a UsageError. */
export function parseFailOn(text: string, knownKinds: readonly string[]): string[] {
  const kinds = text.split(',').map((k) => k.trim());
  for (const k of kinds) {
    if (k === '') throw new UsageError(`--fail-on: empty kind in '${text}'`);
    if (!knownKinds.includes(k)) throw new UsageError(`--fail-on: unknown drift kind '${k}' (kinds: ${knownKinds.join(', ')})`);
  }
  if (new Set(kinds).size !== kinds.length) throw new UsageError(`--fail-on: a kind is named twice in '${text}'`);
  return kinds;
}

/** Settled items that fail the run: of the named kinds, or of any kind without --fail-on. */
export function failingItems<T extends { kind: string }>(settled: readonly T[], failOn: readonly string[] | null): T[] {
  return failOn === null ? [...settled] : settled.filter((i) => failOn.includes(i.kind));
}

/** Gauge values per kind and state; every known kind has all three states (0 when none), so a series never vanishes. */
export function driftGauges(
  knownKinds: readonly string[],
  items: Record<AlertState, readonly { kind: string }[]>,
): { kind: string; state: AlertState; value: number }[] {
  const out: { kind: string; state: AlertState; value: number }[] = [];
  for (const kind of knownKinds) {
    for (const state of ['settled', 'settling', 'ignored'] as const) {
      out.push({ kind, state, value: items[state].filter((i) => i.kind === kind).length });
    }
  }
  return out;
}
