// Blast radius (pure): drift and missing items rolled up per leaf and per
// availability zone, so "leaf-2: 3 of 32 hosts affected; az-1: 5 hosts missing".
// A leaf's total is known from the placements; a zone's is not counted: that
// would mean reading every host's HostConfig, which a query about a handful
// of hosts should not pay for.
import { DRIFT_KIND_REGISTRY, type DriftKind } from './drift-kinds.js';

export interface BlastInput {
  /** Hosts the items are about (each counts once). */
  affectedHosts: Iterable<string>;
  /** Leaves an item is about as a whole (its owner, its place in a tree): every host placed in them is affected. */
  affectedLeaves?: Iterable<string>;
  /** host → leaf it is placed in (zk.roles): every host of each leaf an affected host or an affected leaf is in, at least. */
  placement: ReadonlyMap<string, string>;
  /** host → availability zone (its registration), for the affected hosts at least. */
  zone: ReadonlyMap<string, string>;
}

export interface LeafRollup {
  id: string;
  affected: number;
  /** Hosts placed in the leaf. */
  total: number;
}

export interface ZoneRollup {
  id: string;
  affected: number;
}

export interface BlastRadius {
  leaves: LeafRollup[];
  zones: ZoneRollup[];
  /** Affected hosts with no leaf / no zone known. */
  unplaced: number;
  unzoned: number;
}

function countBy(hosts: ReadonlySet<string>, groupOf: ReadonlyMap<string, string>): { hit: Map<string, number>; none: number } {
  const hit = new Map<string, number>();
  let none = 0;
  for (const h of hosts) {
    const g = groupOf.get(h);
    if (g === undefined) none++;
    else hit.set(g, (hit.get(g) ?? 0) + 1);
  }
  return { hit, none };
}

const byAffected = (a: { id: string; affected: number }, b: { id: string; affected: number }) =>
  b.affected - a.affected || (a.id < b.id ? -1 : 1);

/** Every host affected: those named, and every host placed in a leaf affected whole. */
export function affectedHosts(input: Pick<BlastInput, 'affectedHosts' | 'affectedLeaves' | 'placement'>): Set<string> {
  const affected = new Set(input.affectedHosts);
  const wholeLeaves = new Set(input.affectedLeaves ?? []);
  if (wholeLeaves.size) for (const [host, leaf] of input.placement) if (wholeLeaves.has(leaf)) affected.add(host);
  return affected;
}

export function blastRadius(input: BlastInput): BlastRadius {
  const affected = affectedHosts(input);
  const leaves = countBy(affected, input.placement);
  const zones = countBy(affected, input.zone);
  const total = new Map<string, number>();
  if (leaves.hit.size) for (const leaf of input.placement.values()) total.set(leaf, (total.get(leaf) ?? 0) + 1);
  return {
    leaves: [...leaves.hit].map(([id, n]) => ({ id, affected: n, total: total.get(id)! })).sort(byAffected),
    zones: [...zones.hit].map(([id, n]) => ({ id, affected: n })).sort(byAffected),
    unplaced: leaves.none,
    unzoned: zones.none,
  };
}

/**
 * Leaves a text line names (most affected first); the rest are counted.
 * `missing` over a 525,600-snapshot history rolls up ~1,700 hosts in ~160
 * leaves: named one by one, that was one line of 10 KB on a terminal. JSON
 * keeps every leaf.
 */
const LINE_LEAVES = 10;

/** "leaf-2: 3 of 32 hosts affected; az-1: 3 hosts affected"; `verb`: "affected" for drift, "missing" for missing. */
export function blastLine(b: BlastRadius, verb: string): string {
  const hosts = (n: number) => `${n} host${n === 1 ? '' : 's'}`;
  const named = b.leaves.slice(0, LINE_LEAVES);
  const rest = b.leaves.slice(LINE_LEAVES);
  const parts = named.map((r) => `${r.id}: ${r.affected} of ${hosts(r.total)} ${verb}`);
  if (rest.length) parts.push(`${rest.length} more lea${rest.length === 1 ? 'f' : 'ves'}: ${hosts(rest.reduce((n, r) => n + r.affected, 0))} ${verb}`);
  parts.push(...b.zones.map((r) => `${r.id}: ${hosts(r.affected)} ${verb}`));
  if (b.unplaced) parts.push(`${hosts(b.unplaced)} in no leaf`);
  return parts.join('; ');
}

/** How many hosts a blast radius counts: each is in one leaf or in none. */
export function blastHosts(b: BlastRadius): number {
  return b.leaves.reduce((n, r) => n + r.affected, b.unplaced);
}

interface Item {
  kind: DriftKind;
  ids: readonly string[];
  sides: Partial<Record<string, unknown>>;
}

function hostsIn(side: unknown): string[] {
  return Array.isArray(side) ? (side as string[]) : [];
}

/** What drift items affect, for blastRadius (per the drift-kind registry's `affects`): hosts one by one, and leaves whole. */
export function driftAffected(items: Iterable<Item>): { hosts: string[]; leaves: string[] } {
  const hosts = new Set<string>();
  const leaves = new Set<string>();
  for (const i of items) {
    const affects = DRIFT_KIND_REGISTRY[i.kind].affects;
    if (affects === 'host') hosts.add(i.ids[0]!);
    else if (affects === 'whole_leaf') leaves.add(i.ids[0]!);
    else if (affects === 'listed_hosts') {
      const [a = [], b = []] = Object.values(i.sides).map(hostsIn);
      for (const h of a) if (!b.includes(h)) hosts.add(h);
      for (const h of b) if (!a.includes(h)) hosts.add(h);
    }
  }
  return { hosts: [...hosts], leaves: [...leaves] };
}
