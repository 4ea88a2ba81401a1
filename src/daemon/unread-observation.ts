// The Observation of a tick whose sources were not read (pure): abandoned
// past its budget, skipped by backoff, or lost to a crashed collection. Every
// source carries the same error, so the tick is recorded as "unknown", never
// as "empty": the store keeps every fact as last known.
import type { Observation, SourceReading } from '../model/observation.js';
import { err } from '../model/result.js';
import type { SourceError } from '../model/source-error.js';
import { SOURCES } from '../snapshot/source-name.js';
import { SOURCE_REGISTRY } from '../snapshot/source-registry.js';

export function unreadObservation(startedAt: number, finishedAt: number, error: SourceError): Observation {
  const reading = <T>(): SourceReading<T> => ({ durationMs: Math.max(0, finishedAt - startedAt), endpoint: null, result: err(error) });
  // Every source's reading, as the registry places them (an unread source is never left out).
  const readings = Object.fromEntries(SOURCES.map((s) => [SOURCE_REGISTRY[s].reading, reading()]));
  return { startedAt, finishedAt, ...readings } as Observation;
}
