// Blast radius at one snapshot (I/O glue): the leaf of each affected host (its
// placement's version holding there), every host placed in those leaves and in
// the leaves affected whole (placedInLeaves, through an index on the leaf a
// placement names), and the zone of only the affected hosts (their
// registrations' last versions), then the pure roll-up. A leaf's total needs
// the hosts of that leaf alone, not every host's placement. Nothing is read
// when nothing is affected.
import type { PlacementValue, RegistrationValue } from '../snapshot/fact.js';
import { type HistoryReader } from '../store/index.js';
import { blastRadius, type BlastRadius } from './blast-radius.js';

const NONE: BlastRadius = { leaves: [], zones: [], unplaced: 0, unzoned: 0 };

/** The value each of `entities` holds at `snapshotId` (absent: none, or removed), parsed. */
function holdingAt<T>(db: HistoryReader, source: 'zk.roles' | 'zk.hosts', kind: 'placement' | 'registration', entities: readonly string[], snapshotId: number): Map<string, T> {
  const out = new Map<string, T>();
  // Only the version holding at the snapshot: not each host's whole history.
  for (const [entity, versions] of db.versionsOfEntities(source, kind, entities, snapshotId, snapshotId)) {
    const last = versions[versions.length - 1]?.value;
    if (last) out.set(entity, JSON.parse(last) as T);
  }
  return out;
}

/** `hosts`: affected one by one; `leaves`: affected whole (every host placed in them). */
export function loadBlastRadius(db: HistoryReader, snapshotId: number, affected: { hosts: readonly string[]; leaves?: readonly string[] }): BlastRadius {
  const named = [...new Set(affected.hosts)];
  const leaves = affected.leaves ?? [];
  if (!named.length && !leaves.length) return NONE;
  const ownLeaves = [...holdingAt<PlacementValue>(db, 'zk.roles', 'placement', named, snapshotId).values()].map((p) => p.leaf);
  // Every host of the leaves concerned: all that a leaf's total and a whole leaf's hosts need.
  const placement = new Map<string, string>();
  for (const p of db.placedInLeaves([...ownLeaves, ...leaves], snapshotId)) placement.set(p.entity, p.leaf);
  const wholeLeaves = new Set(leaves);
  const hosts = [...new Set([...named, ...[...placement].filter(([, leaf]) => wholeLeaves.has(leaf)).map(([h]) => h)])];
  const zone = new Map<string, string>();
  for (const [host, r] of holdingAt<RegistrationValue>(db, 'zk.hosts', 'registration', hosts, snapshotId)) if (r.availabilityZone) zone.set(host, r.availabilityZone);
  return blastRadius({ affectedHosts: named, affectedLeaves: leaves, placement, zone });
}
