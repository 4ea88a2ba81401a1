// Blast radius (pure): drift and missing items rolled up per leaf and per
// availability zone, so "leaf-2: 3 of 32 hosts affected; az-1: 5 hosts missing".
export interface BlastInput {
  /** Hosts each affected item is about (a leaf-level item names the leaf's hosts it concerns). */
  affectedHosts: Iterable<string>;
  /** host → leaf it is placed in (zk.roles). */
  placement: ReadonlyMap<string, string>;
  /** host → availability zone (HostConfig.availability_zone via registration). */
  zone: ReadonlyMap<string, string>;
}

export interface Rollup {
  id: string;
  affected: number;
  total: number;
}

export interface BlastRadius {
  leaves: Rollup[];
  zones: Rollup[];
  /** Affected hosts with no leaf / no zone known. */
  unplaced: number;
  unzoned: number;
}

function rollup(affected: Set<string>, groupOf: ReadonlyMap<string, string>): { rows: Rollup[]; none: number } {
  const total = new Map<string, number>();
  for (const g of groupOf.values()) total.set(g, (total.get(g) ?? 0) + 1);
  const hit = new Map<string, number>();
  let none = 0;
  for (const h of affected) {
    const g = groupOf.get(h);
    if (g === undefined) none++;
    else hit.set(g, (hit.get(g) ?? 0) + 1);
  }
  const rows = [...hit].map(([id, n]) => ({ id, affected: n, total: total.get(id)! }));
  rows.sort((a, b) => b.affected - a.affected || (a.id < b.id ? -1 : 1));
  return { rows, none };
}

export function blastRadius(input: BlastInput): BlastRadius {
  const affected = new Set(input.affectedHosts);
  const leaves = rollup(affected, input.placement);
  const zones = rollup(affected, input.zone);
  return { leaves: leaves.rows, zones: zones.rows, unplaced: leaves.none, unzoned: zones.none };
}

/** `verb`: "affected" for drift, "missing" for missing. */
export function blastLine(b: BlastRadius, verb: string): string {
  const parts = [
    ...b.leaves.map((r) => `${r.id}: ${r.affected} of ${r.total} hosts ${verb}`),
    ...b.zones.map((r) => `${r.id}: ${r.affected} hosts ${verb}`),
  ];
  return parts.join('; ');
}
