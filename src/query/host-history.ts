// Everything that happened to one host, in time order (pure): its
// registration and config, its placement in each tree, leaves it came to own
// or stopped owning, /missing entries, probe flips and unreadable nodes.
import type { FactKind } from '../snapshot/fact.js';
import type { SourceName } from '../snapshot/source-name.js';
import { changeEvents, compareEvents, type ChangeEvent } from './change-event.js';
import type { MissingEpisode } from './missing-episodes.js';
import type { ExactTime, SnapshotMark } from '../model/snapshot-mark.js';

export interface KeyVersion {
  snapshot: SnapshotMark;
  previousOk: SnapshotMark | null;
  /** null: the fact stopped holding */
  value: unknown;
  /** When a record proves the time of this version (exact-time.ts). */
  exact?: ExactTime | null;
}

/** One fact's versions, in snapshot order, from its first. */
export interface KeyHistory {
  source: SourceName;
  kind: FactKind;
  entity: string;
  versions: readonly KeyVersion[];
}

export interface HostHistory {
  host: string;
  events: ChangeEvent[];
  missingEpisodes: MissingEpisode[];
}

function ownerOf(v: unknown): string | null {
  return (v as { owner?: string | null } | null)?.owner ?? null;
}

/** Leaf facts are keyed by leaf: only versions where the host owns the leaf before or after concern it. */
function concernsHost(host: string, kind: FactKind, before: unknown, after: unknown): boolean {
  if (kind !== 'leaf' && kind !== 'child') return true;
  return ownerOf(before) === host || ownerOf(after) === host;
}

export function keyEvents(host: string, k: KeyHistory): ChangeEvent[] {
  const out: ChangeEvent[] = [];
  let before: unknown = null;
  for (const v of k.versions) {
    if (concernsHost(host, k.kind, before, v.value)) {
      out.push(
        ...changeEvents({ source: k.source, kind: k.kind, entity: k.entity, before, after: v.value, snapshot: v.snapshot, previousOk: v.previousOk, exact: v.exact }),
      );
    }
    before = v.value;
  }
  return out;
}

export function hostHistory(host: string, keys: readonly KeyHistory[], missingEpisodes: MissingEpisode[]): HostHistory {
  const events = keys.flatMap((k) => keyEvents(host, k)).sort(compareEvents);
  return { host, events, missingEpisodes };
}
