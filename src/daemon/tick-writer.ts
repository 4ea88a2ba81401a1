// Where a tick's observation is recorded, chosen at start: a SQLite file
// through the record stage (the snapshot and its drift), or a PostgreSQL
// history through the store's contract under the collector lease
// (pg-tick-writer.ts). The rest of a tick does not know which.
import type { LastKnownLeaders } from '../collect/leader-address.js';
import { lastKnownLeaders } from '../collect/last-known-leaders.js';
import type { Observation } from '../model/observation.js';
import type { WatchedInterval } from '../model/watch-event.js';
import { recordCollection, type RecordedCollection } from '../record/index.js';
import type { Db } from '../store/index.js';
import type { Tick } from './tick-loop.js';

/** What a tick wrote; `drift` null: this history does not record drift from the daemon (yet). */
export type TickWritten = Omit<RecordedCollection, 'drift'> & { drift: RecordedCollection['drift'] | null };

export interface TickWriter {
  /** Where the collector looks for the leaders when ZooKeeper cannot say. */
  leaders(): Promise<LastKnownLeaders>;
  /** Throws when nothing was written. */
  record(obs: Observation, watched: WatchedInterval | undefined, tick: Tick): Promise<TickWritten>;
}

export function sqliteTickWriter(db: Db): TickWriter {
  return {
    leaders: async () => lastKnownLeaders(db),
    record: async (obs, watched) => recordCollection(db, obs, watched),
  };
}
