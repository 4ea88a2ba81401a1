// What the history already says about past successes, read once at startup so
// that a restarted daemon does not report "never succeeded".
import { SOURCES, type SourceName } from '../snapshot/source-name.js';
import { type HistoryReader } from '../store/index.js';
import type { MetricsSeed } from './daemon-metrics.js';

const LATEST = Number.MAX_SAFE_INTEGER;

export function readMetricsSeed(db: HistoryReader): MetricsSeed {
  const lastSuccessAt = db.lastCompleteFinishedAt();
  const sourceLastSuccessAt: Partial<Record<SourceName, number>> = {};
  for (const source of SOURCES) {
    const id = db.lastOkSnapshot(source, LATEST);
    const row = id === null ? undefined : db.snapshotById(id);
    if (row) sourceLastSuccessAt[source] = row.finishedAt;
  }
  return { lastSuccessAt, sourceLastSuccessAt };
}
