// Collect once and record it: the unit of work of `collect` and of each
// daemon tick.
import { type Db, writeSnapshot } from '../store/index.js';
import { collect, type CollectOptions } from './collect.js';
import { summarizeCollection, type CollectionSummary } from './collection-summary.js';

export async function runCollection(db: Db, opts: CollectOptions): Promise<CollectionSummary> {
  const obs = await collect(opts);
  return summarizeCollection(obs, writeSnapshot(db, obs));
}
