// A tick into a PostgreSQL history (tick-writer.ts): the snapshot with its
// outcomes and watched changes, written only under the collector lease, whose
// claim the write transaction checks. Its drift is not recorded on this path
// (record/record-in-store.ts): readers check it live.
import { lastKnownLeadersIn } from '../collect/last-known-leaders.js';
import { recordSnapshotIn } from '../record/record-in-store.js';
import { LeaseLostError, type HistoryStore } from '../store/index.js';
import type { CollectorLease } from './collector-lease.js';
import type { TickWriter } from './tick-writer.js';

export function pgTickWriter(store: HistoryStore, lease: CollectorLease): TickWriter {
  return {
    leaders: () => lastKnownLeadersIn(store),
    async record(obs, watched, tick) {
      const claim = lease.claimFor(tick.scheduledAt.getTime());
      if (!claim) throw new LeaseLostError('not written: this tick was not collected under the lease');
      try {
        return { ...(await recordSnapshotIn(store, obs, { watched, lease: claim })), drift: null };
      } catch (e) {
        if (e instanceof LeaseLostError) lease.lost(e.message);
        throw e;
      }
    },
  };
}
