// The part of a fact that the tree views and the drift checks read (pure). A
// registration's HostConfig (datastores, networks, ...) is nine tenths of the
// bytes of a 5,000-host cluster's state but those readers need only its
// address, so state checkpoints keep a summarized copy beside the full one.
// Every other kind is its own summary.
import { canonicalJson } from './canonical-json.js';
import type { FactKind, RegistrationValue } from './fact.js';

export type RegistrationSummary = Pick<RegistrationValue, 'address'>;

export function isSummarized(kind: FactKind): boolean {
  return kind === 'registration';
}

/** The summary of a stored value (canonical JSON in, canonical JSON out). */
export function summarizeValue(kind: FactKind, value: string): string {
  if (!isSummarized(kind)) return value;
  const { address } = JSON.parse(value) as RegistrationValue;
  return canonicalJson({ address } satisfies RegistrationSummary);
}
