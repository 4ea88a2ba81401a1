// Blast radius at one snapshot (I/O glue): where the affected hosts and every
// host of their leaves are placed, and the zone of only the affected hosts,
// then the pure roll-up. Each is read the cheaper of two ways, with the same
// answer: for a few hosts, the leaf of each (its placement's version holding
// there) and every host placed in those leaves and in the leaves affected
// whole (placedInLeaves, through an index on the leaf a placement names), and
// each one's zone from its registration's version holding there; for many,
// zk.roles' whole state there, which places every host at once, and zk.hosts'
// summarized state, whose registrations carry their zones. Nothing is read
// when nothing is affected.
import type { PlacementValue, RegistrationValue } from '../snapshot/fact.js';
import type { RegistrationSummary } from '../snapshot/fact-summary.js';
import { type HistoryReader } from '../store/index.js';
import { affectedHosts, blastRadius, type BlastRadius } from './blast-radius.js';

const NONE: BlastRadius = { leaves: [], zones: [], unplaced: 0, unzoned: 0 };

/**
 * From this many hosts and leaves affected, the placements come from the
 * state. Hosts spread over the leaves: a year's `missing` names 1,724 hosts
 * in 157 of 157 leaves, and a leaf's placements through the index cost ~1.6 µs
 * each, so the leaves' ~5,000 placements took 7.7–9.9 ms (after a seek per
 * host, 1.9–7.3 ms) where the state took 3.0–3.2 ms (5,000-host bench
 * histories of 100,000 and 525,600 snapshots). Below, a handful of hosts costs
 * a handful of seeks.
 */
export const PLACEMENTS_FROM_STATE = 128;

/** The value each of `entities` holds at `snapshotId` (absent: none, or removed), parsed. */
function holdingAt<T>(db: HistoryReader, source: 'zk.roles' | 'zk.hosts', kind: 'placement' | 'registration', entities: readonly string[], snapshotId: number): Map<string, T> {
  const out = new Map<string, T>();
  // None asked (every zone said by the summaries, or a leaf affected only whole): no read, not even an empty one.
  if (!entities.length) return out;
  // Only the version holding at the snapshot: not each host's whole history.
  for (const [entity, versions] of db.versionsOfEntities(source, kind, entities, snapshotId, snapshotId)) {
    const last = versions[versions.length - 1]?.value;
    if (last) out.set(entity, JSON.parse(last) as T);
  }
  return out;
}

/** host → leaf for every host placed in the leaves of `named` or in `leaves`: all that a leaf's total and a whole leaf's hosts need. */
function placementsOfLeaves(db: HistoryReader, snapshotId: number, named: readonly string[], leaves: readonly string[]): Map<string, string> {
  const ownLeaves = [...holdingAt<PlacementValue>(db, 'zk.roles', 'placement', named, snapshotId).values()].map((p) => p.leaf);
  const placement = new Map<string, string>();
  for (const p of db.placedInLeaves([...ownLeaves, ...leaves], snapshotId)) placement.set(p.entity, p.leaf);
  return placement;
}

/**
 * host → leaf for every host placed at the snapshot. A value the leaf index
 * passes by passes here too: not JSON (another program's write), or naming no
 * leaf it could match. A leaf is kept as the index compares it: a string, or
 * a number another program wrote.
 */
function everyPlacement(db: HistoryReader, snapshotId: number): Map<string, string> {
  const placement = new Map<string, string>();
  db.readSourceFacts('zk.roles', snapshotId, { summaries: true }).each('placement', (host, value) => {
    let leaf: unknown;
    try {
      leaf = (JSON.parse(value) as Partial<PlacementValue>).leaf;
    } catch {
      return;
    }
    if (typeof leaf === 'string' || typeof leaf === 'number') placement.set(host, leaf as string);
  });
  return placement;
}

/**
 * From this many hosts, their zones come from zk.hosts' summarized state
 * (a 5,000-host checkpoint: 0.13 MB stored, 0.6 MB of text) instead of a
 * seek, an inflate and a parse of each one's HostConfig (~15-20 µs a host):
 * a year's `missing` asks for 1,724 hosts' zones.
 */
export const ZONES_FROM_STATE = 512;

/**
 * host → zone for those of `hosts` registered at the snapshot with one. From
 * the state, a summary written before summaries held the zone
 * (src/snapshot/fact-summary.ts) does not say it: that host's is read as a
 * few hosts' are.
 */
function zonesOf(db: HistoryReader, snapshotId: number, hosts: readonly string[], fromState: boolean): Map<string, string> {
  const zone = new Map<string, string>();
  const unsaid: string[] = [];
  if (fromState) {
    const state = db.readSourceFacts('zk.hosts', snapshotId, { summaries: true });
    for (const host of hosts) {
      const summary = state.get('registration', host);
      if (summary === undefined) continue;
      const { availabilityZone } = JSON.parse(summary) as Partial<RegistrationSummary>;
      if (availabilityZone === undefined) unsaid.push(host);
      else if (availabilityZone) zone.set(host, availabilityZone);
    }
  }
  for (const [host, r] of holdingAt<RegistrationValue>(db, 'zk.hosts', 'registration', fromState ? unsaid : hosts, snapshotId)) {
    if (r.availabilityZone) zone.set(host, r.availabilityZone);
  }
  return zone;
}

/**
 * `hosts`: affected one by one; `leaves`: affected whole (every host placed in them).
 * `how` picks the placements' and the zones' reads (tests compare the two); by default the cheaper ones.
 */
export function loadBlastRadius(
  db: HistoryReader,
  snapshotId: number,
  affected: { hosts: readonly string[]; leaves?: readonly string[] },
  how?: 'leaves' | 'state',
): BlastRadius {
  const named = [...new Set(affected.hosts)];
  const leaves = affected.leaves ?? [];
  if (!named.length && !leaves.length) return NONE;
  const fromState = how ? how === 'state' : named.length + leaves.length >= PLACEMENTS_FROM_STATE;
  const placement = fromState ? everyPlacement(db, snapshotId) : placementsOfLeaves(db, snapshotId, named, leaves);
  const hosts = [...affectedHosts({ affectedHosts: named, affectedLeaves: leaves, placement })];
  const zone = zonesOf(db, snapshotId, hosts, how ? how === 'state' : hosts.length >= ZONES_FROM_STATE);
  return blastRadius({ affectedHosts: named, affectedLeaves: leaves, placement, zone });
}
