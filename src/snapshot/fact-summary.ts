// The part of a fact that the tree views and the drift checks read (pure): a
// registration's address, not its HostConfig (datastores, networks, ...,
// nine tenths of the bytes of a 5,000-host cluster's state), and a probe's
// verdict, not its address and message. State checkpoints keep a summarized
// copy beside the whole one, so those readers load a fraction of the bytes.
// Every other kind is its own summary.
import { canonicalJson } from './canonical-json.js';
import type { FactKind, RegistrationValue, StatusValue } from './fact.js';

export type RegistrationSummary = Pick<RegistrationValue, 'address'>;
export type StatusSummary = Pick<StatusValue, 'status'>;

export function isSummarized(kind: FactKind): boolean {
  return kind === 'registration' || kind === 'status';
}

/** The summary of a stored value (canonical JSON in, canonical JSON out). */
export function summarizeValue(kind: FactKind, value: string): string {
  if (kind === 'registration') {
    const { address } = JSON.parse(value) as RegistrationValue;
    return canonicalJson({ address } satisfies RegistrationSummary);
  }
  if (kind === 'status') {
    // One key holding a string: canonical as it is, without canonicalJson's sorting (a read may summarize thousands).
    const { status } = JSON.parse(value) as StatusValue;
    return JSON.stringify({ status } satisfies StatusSummary);
  }
  return value;
}
