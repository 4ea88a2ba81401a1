// What `verify` found wrong (pure): each finding names the snapshot range it
// affects, and the source when it concerns one.
export type DamageKind =
  /** SQLite's own check failed (the file's structure). */
  | 'sqlite'
  /** Snapshot rows or their per-source outcomes are unreadable or inconsistent. */
  | 'snapshots'
  /** Versions of a source could not be read: its state is unknown until its next readable checkpoint. */
  | 'versions'
  /** A checkpoint is unreadable or differs from the state replayed from the versions before it. */
  | 'checkpoint'
  /** The recorded drift differs from the drift recomputed from the states. */
  | 'drift'
  /** A watched path's running count of changes differs from its versions (check-watch-totals.ts). */
  | 'watch_totals';

export interface Damage {
  kind: DamageKind;
  source: string | null;
  /** First and last snapshot affected (null for a finding about the whole file). */
  from: number | null;
  to: number | null;
  /** When those snapshots started (ISO 8601), when their rows could be read. */
  fromTime?: string | null;
  toTime?: string | null;
  detail: string;
}

/** Adds a finding, merging it into the previous one of the same kind and source when their ranges touch. */
export function addDamage(list: Damage[], d: Damage): void {
  const last = list.at(-1);
  if (
    last && last.kind === d.kind && last.source === d.source && last.detail === d.detail &&
    last.to !== null && d.from !== null && d.from <= last.to + 1
  ) {
    if ((d.to ?? d.from) > last.to) {
      last.to = d.to ?? d.from;
      if (d.toTime !== undefined) last.toTime = d.toTime;
    }
    return;
  }
  list.push({ ...d });
}

/** "#12-#40" or "#12". */
export function formatRange(from: number | null, to: number | null): string {
  if (from === null) return 'whole file';
  return to === null || to === from ? `#${from}` : `#${from}-#${to}`;
}
