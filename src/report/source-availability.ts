// How often each source could be read in the window, and the runs of
// collections in which it could not (pure). A run is one outage: during it
// the source's facts are only "as last read".
import type { SnapshotSummary } from '../query/list-snapshots.js';
import { SOURCES } from '../snapshot/source-name.js';
import type { SourceAvailability, SourceOutage } from './report-model.js';

/** "kind: message" as list-snapshots writes a failed read. */
function errorKind(error: string | null): string {
  if (!error) return 'unknown';
  const at = error.indexOf(':');
  return at < 0 ? error : error.slice(0, at);
}

export function sourceAvailability(collections: readonly SnapshotSummary[]): SourceAvailability[] {
  return SOURCES.map((source) => {
    let ok = 0;
    const kinds = new Map<string, number>();
    for (const c of collections) {
      const o = c.sources[source];
      if (o?.ok) {
        ok++;
        continue;
      }
      // No outcome row at all: the source was not collected, which is unknown too.
      const kind = o ? errorKind(o.error) : 'not_collected';
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    const errorKinds = [...kinds]
      .map(([kind, count]) => ({ kind, count }))
      .sort((a, b) => b.count - a.count || (a.kind < b.kind ? -1 : 1));
    return { source, ok, failed: collections.length - ok, errorKinds };
  });
}

/** Runs of failed reads per source, in time order of their start (then source order). */
export function sourceOutages(collections: readonly SnapshotSummary[]): SourceOutage[] {
  const out: SourceOutage[] = [];
  for (const source of SOURCES) {
    let open: SourceOutage | null = null;
    for (const c of collections) {
      const o = c.sources[source];
      const mark = { id: c.id, startedAt: c.startedAt };
      if (o?.ok) {
        if (open) out.push(open);
        open = null;
      } else if (open) {
        open.to = mark;
        open.collections++;
      } else {
        open = { source, from: mark, to: mark, collections: 1, error: o?.error ?? 'not_collected: not collected in this snapshot' };
      }
    }
    if (open) out.push(open);
  }
  const order = new Map<string, number>(SOURCES.map((s, i) => [s, i]));
  return out.sort((a, b) => a.from.id - b.from.id || order.get(a.source)! - order.get(b.source)!);
}
