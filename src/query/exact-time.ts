// Exact times from ZooKeeper's own records (pure). A change first seen at
// snapshot S happened at the node's ctime (it was created) or mtime (it was
// written) when the node's Stat was recorded in S itself: the Stat read with
// the change belongs to the node that made it. A Stat recorded earlier may
// belong to an earlier node of the same path, one recorded later to a later
// write, so neither proves anything about S: the bounds then stay alone.
import type { ExactTime, TimeBounds } from '../model/snapshot-mark.js';
import type { ZkStat } from '../model/zk-stat.js';

/** The `zk.stat` versions of one path, oldest first. */
export type StatVersions = readonly { snapshot: number; value: string | null }[];

/** The Stat recorded for a path in exactly `snapshotId`, if one was. */
export function statRecordedAt(versions: StatVersions | undefined, snapshotId: number): ZkStat | null {
  const v = versions?.find((x) => x.snapshot === snapshotId);
  return v?.value ? (JSON.parse(v.value) as ZkStat) : null;
}

export function exactFromStat(versions: StatVersions | undefined, snapshotId: number, path: string, field: 'ctime' | 'mtime'): ExactTime | null {
  const stat = statRecordedAt(versions, snapshotId);
  return stat ? { at: stat[field], record: `${field} of ${path}` } : null;
}

/** `bounds` with the exact time added when there is one. */
export function withExact(bounds: TimeBounds, exact: ExactTime | null): TimeBounds {
  return exact ? { ...bounds, exact } : bounds;
}

/** Every `zk.stat` version a list of changes needs, read in one go by the caller. */
export type ReadStats = (paths: readonly string[]) => Map<string, StatVersions>;

/**
 * The exact time of each change that a node's Stat proves, by the change's
 * index in `changes`; `snapshotOf` names the snapshot that first saw it.
 */
export function exactTimes<V>(
  changes: readonly V[],
  pathOf: (v: V) => { path: string; field: 'ctime' | 'mtime' } | null,
  snapshotOf: (v: V) => number,
  readStats: ReadStats,
): (ExactTime | null)[] {
  const paths = changes.map(pathOf);
  const wanted = [...new Set(paths.flatMap((p) => (p ? [p.path] : [])))];
  const stats = wanted.length ? readStats(wanted) : new Map<string, StatVersions>();
  return changes.map((v, i) => {
    const p = paths[i];
    return p ? exactFromStat(stats.get(p.path), snapshotOf(v), p.path, p.field) : null;
  });
}
