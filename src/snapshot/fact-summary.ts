// The part of a fact that the tree views, the drift checks and the blast
// radius read (pure): a registration's address and zone, not its HostConfig
// (datastores, networks, ..., nine tenths of the bytes of a 5,000-host
// cluster's state), and a probe's verdict, not its address and message. State
// checkpoints keep a summarized copy beside the whole one, so those readers
// load a fraction of the bytes. Every other kind is its own summary.
//
// Checkpoints written before 2026-12-07 summarize a registration to its
// address alone: a reader of the zone takes a summary without the key as not
// knowing it (src/query/load-blast-radius.ts).
import { canonicalJson } from './canonical-json.js';
import type { FactKind, RegistrationValue, StatusValue } from './fact.js';

export type RegistrationSummary = Pick<RegistrationValue, 'address' | 'availabilityZone'>;
export type StatusSummary = Pick<StatusValue, 'status'>;

/** What a registration's summary holds: 1, the address; 2, the zone too. The bench names its cached histories by it. */
export const SUMMARY_FORMAT = 2;

export function isSummarized(kind: FactKind): boolean {
  return kind === 'registration' || kind === 'status';
}

/** The summary of a stored value (canonical JSON in, canonical JSON out). */
export function summarizeValue(kind: FactKind, value: string): string {
  if (kind === 'registration') {
    const { address, availabilityZone } = JSON.parse(value) as RegistrationValue;
    return canonicalJson({ address, availabilityZone } satisfies RegistrationSummary);
  }
  if (kind === 'status') {
    // One key holding a string: canonical as it is, without canonicalJson's sorting (a read may summarize thousands).
    const { status } = JSON.parse(value) as StatusValue;
    return JSON.stringify({ status } satisfies StatusSummary);
  }
  return value;
}
