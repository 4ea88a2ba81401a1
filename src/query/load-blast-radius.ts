// Blast radius at one snapshot (I/O glue): where each placed host sits
// (zk.roles, summarized state), and the zone of only the affected hosts
// (their registrations' last versions), then the pure roll-up. Nothing is read
// when nothing is affected.
import type { PlacementValue, RegistrationValue } from '../snapshot/fact.js';
import { type HistoryReader } from '../store/index.js';
import { blastRadius, type BlastRadius } from './blast-radius.js';
import { byKind } from './tree-from-facts.js';

const NONE: BlastRadius = { leaves: [], zones: [], unplaced: 0, unzoned: 0 };

/** `hosts`: affected one by one; `leaves`: affected whole (every host placed in them). */
export function loadBlastRadius(db: HistoryReader, snapshotId: number, affected: { hosts: readonly string[]; leaves?: readonly string[] }): BlastRadius {
  const named = [...new Set(affected.hosts)];
  const leaves = affected.leaves ?? [];
  if (!named.length && !leaves.length) return NONE;
  const placement = new Map<string, string>();
  for (const [host, v] of byKind<PlacementValue>(db.readSourceFacts('zk.roles', snapshotId, { summaries: true }), 'placement')) {
    placement.set(host, v.leaf);
  }
  const wholeLeaves = new Set(leaves);
  const hosts = [...new Set([...named, ...[...placement].filter(([, leaf]) => wholeLeaves.has(leaf)).map(([h]) => h)])];
  const zone = new Map<string, string>();
  // Only the registration holding at the snapshot: not each host's whole history of HostConfigs.
  for (const [host, versions] of db.versionsOfEntities('zk.hosts', 'registration', hosts, snapshotId, snapshotId)) {
    const last = versions[versions.length - 1]?.value;
    const az = last ? (JSON.parse(last) as RegistrationValue).availabilityZone : null;
    if (az) zone.set(host, az);
  }
  return blastRadius({ affectedHosts: named, affectedLeaves: leaves, placement, zone });
}
