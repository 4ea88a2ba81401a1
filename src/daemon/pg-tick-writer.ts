// A tick into a PostgreSQL history (tick-writer.ts): the snapshot with its
// outcomes and watched changes, written only under the collector lease, whose
// claim the write transaction checks; then its drift (record/record-in-store.ts).
import { lastKnownLeadersIn } from '../collect/last-known-leaders.js';
import { recordCollectionIn } from '../record/record-in-store.js';
import { LeaseLostError, type HistoryReader, type HistoryStore } from '../store/index.js';
import type { CollectorLease } from './collector-lease.js';
import type { TickWriter } from './tick-writer.js';

export function pgTickWriter(store: HistoryStore, reader: HistoryReader, lease: CollectorLease): TickWriter {
  return {
    leaders: () => lastKnownLeadersIn(store),
    async record(obs, watched, tick) {
      const claim = lease.claimFor(tick.scheduledAt.getTime());
      if (!claim) throw new LeaseLostError('not written: this tick was not collected under the lease');
      try {
        return await recordCollectionIn(store, reader, obs, { watched, lease: claim });
      } catch (e) {
        if (e instanceof LeaseLostError) lease.lost(e.message);
        throw e;
      }
    },
  };
}
