// How verify and salvage walk a history: in windows of snapshots, one query
// per window and source, rows grouped by the snapshot they belong to.

/** Snapshots read per query. */
export const WINDOW = 1000;

export function bySnapshot<T extends { snapshot: number }>(rows: readonly T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const list = out.get(r.snapshot);
    if (list) list.push(r);
    else out.set(r.snapshot, [r]);
  }
  return out;
}
