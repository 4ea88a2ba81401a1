// What the history already says about past successes, read once at startup so
// that a restarted daemon does not report "never succeeded".
import { SOURCES, type SourceName } from '../snapshot/source-name.js';
import type { Db } from '../store/open-database.js';
import { lastOkSnapshot, snapshotById } from '../store/snapshot-index.js';
import type { MetricsSeed } from './daemon-metrics.js';

const LATEST = Number.MAX_SAFE_INTEGER;

export function readMetricsSeed(db: Db): MetricsSeed {
  const lastSuccessAt = db.$client.prepare('SELECT max(finished_at) FROM snapshots WHERE failed_sources = 0').pluck().get() as
    | number
    | null;
  const sourceLastSuccessAt: Partial<Record<SourceName, number>> = {};
  for (const source of SOURCES) {
    const id = lastOkSnapshot(db, source, LATEST);
    const row = id === null ? undefined : snapshotById(db, id);
    if (row) sourceLastSuccessAt[source] = row.finishedAt;
  }
  return { lastSuccessAt, sourceLastSuccessAt };
}
