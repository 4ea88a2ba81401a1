// Writes a history of cluster specs into an in-memory store for query tests:
// spec i becomes snapshot #i+1, started at T0 + (i+1) × 5 minutes.
import { openDatabase, type SqliteHistory } from '../../../src/store/open-database.js';
import { writeSnapshot } from '../../../src/store/write-snapshot.js';
import { observation, type ClusterSpec } from '../../support/observation.js';
import { mark } from './marks.js';

export function storeOf(specs: ClusterSpec[]): SqliteHistory {
  const db = openDatabase(':memory:');
  specs.forEach((spec, i) => writeSnapshot(db, observation({ ...spec, at: mark(i + 1).startedAt })));
  return db;
}

export function row(db: SqliteHistory, id: number) {
  return db.$client.prepare('SELECT id, started_at AS startedAt, finished_at AS finishedAt, failed_sources AS failedSources FROM snapshots WHERE id = ?').get(id) as {
    id: number;
    startedAt: number;
    finishedAt: number;
    failedSources: number;
  };
}

export const down = { kind: 'unreachable' as const, message: 'ECONNREFUSED' };
