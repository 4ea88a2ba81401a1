// A random history of fact versions, written through the store's delta API:
// per snapshot, some hosts' status flips or ends, some registrations change
// or go, /missing churns. Deterministic for a seed.
import type { FactKind } from '../../src/snapshot/fact.js';
import { SOURCES, type SourceName } from '../../src/snapshot/source-name.js';
import type { Db } from '../../src/store/open-database.js';
import { writeSnapshotDelta, type SnapshotDelta } from '../../src/store/write-snapshot-delta.js';
import { withWriteTransaction } from '../../src/store/write-transaction.js';

export type Write = SnapshotDelta['writes'][number];

export const T0 = 1_700_000_000_000;

/** A random history: per snapshot, some hosts flip status, some registrations change or go, /missing churns. */
export function randomHistory(seed: number, snapshots: number, hosts: number): Write[][] {
  let s = seed >>> 0;
  const rand = (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
  const out: Write[][] = [];
  for (let i = 0; i < snapshots; i++) {
    const writes = new Map<string, Write>();
    const put = (source: SourceName, kind: FactKind, entity: string, value: string | null) =>
      writes.set(`${source}|${kind}|${entity}`, { source, kind, entity, value });
    for (let n = rand(12); n > 0; n--) {
      const h = `h${rand(hosts)}`;
      const status = { address: null, message: rand(3) === 0 ? 'connect timed out' : null, status: rand(2) ? 'ONLINE' : 'OFFLINE' };
      put('status', 'status', h, rand(5) === 0 ? null : JSON.stringify(status));
    }
    for (let n = rand(3); n > 0; n--) {
      const h = `h${rand(hosts)}`;
      const value = { address: { host: `10.0.0.${rand(9)}`, port: 8835 }, availabilityZone: `az${rand(3)}`, cpuCount: rand(64) };
      put('zk.hosts', 'registration', h, rand(6) === 0 ? null : JSON.stringify(value));
    }
    if (rand(2)) put('zk.missing', 'missing', `h${rand(hosts)}`, rand(2) ? 'true' : null);
    out.push([...writes.values()]);
  }
  return out;
}

/** Writes one snapshot per element, every source read, one minute apart; returns their ids. */
export function writeHistory(db: Db, history: Write[][], at = 0): number[] {
  return withWriteTransaction(db, () =>
    history.map((writes, i) =>
      writeSnapshotDelta(db, {
        startedAt: T0 + (at + i) * 60_000,
        finishedAt: T0 + (at + i) * 60_000 + 1,
        outcomes: SOURCES.map((source) => ({ source, ok: true as const, durationMs: 1 })),
        writes,
      }).snapshotId,
    ),
  );
}

