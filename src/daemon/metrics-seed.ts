// What the history already says about past successes, read once at startup so
// that a restarted daemon does not report "never succeeded".
import { SOURCES, type SourceName } from '../snapshot/source-name.js';
import { type Db, lastCompleteFinishedAt, lastOkSnapshot, snapshotById } from '../store/index.js';
import type { MetricsSeed } from './daemon-metrics.js';

const LATEST = Number.MAX_SAFE_INTEGER;

export function readMetricsSeed(db: Db): MetricsSeed {
  const lastSuccessAt = lastCompleteFinishedAt(db);
  const sourceLastSuccessAt: Partial<Record<SourceName, number>> = {};
  for (const source of SOURCES) {
    const id = lastOkSnapshot(db, source, LATEST);
    const row = id === null ? undefined : snapshotById(db, id);
    if (row) sourceLastSuccessAt[source] = row.finishedAt;
  }
  return { lastSuccessAt, sourceLastSuccessAt };
}
