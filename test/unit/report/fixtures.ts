// Hand-built query results for report tests (pure): collections, snapshot
// views, episodes and a whole ReportInput of any size, without a store.
import type { NodeStatus } from '../../../src/model/status.js';
import type { ChangeEvent } from '../../../src/query/change-event.js';
import type { DriftEpisode } from '../../../src/query/drift-history.js';
import type { SnapshotSummary } from '../../../src/query/list-snapshots.js';
import type { MissingEpisode } from '../../../src/query/missing-episodes.js';
import { durationBounds, type SnapshotMark } from '../../../src/model/snapshot-mark.js';
import type { SnapshotOverview, TreeView } from '../../../src/query/snapshot-view.js';
import type { SourceDiff } from '../../../src/query/diff.js';
import type { ChangeItem } from '../../../src/query/classify-change.js';
import { SOURCES, type SourceName } from '../../../src/snapshot/source-name.js';
import type { ReportInput } from '../../../src/report/report-input.js';

export const T0 = Date.parse('2026-11-25T03:00:00Z');
export const STEP_MS = 300_000;

export function mark(id: number): SnapshotMark {
  return { id, startedAt: T0 + id * STEP_MS };
}

export const ep = (port: number) => ({ host: '127.0.0.1', port });

export function collection(id: number, opts: { failed?: SourceName[]; offline?: number; error?: string } = {}): SnapshotSummary {
  const failed = opts.failed ?? [];
  const sources: SnapshotSummary['sources'] = {};
  for (const s of SOURCES) sources[s] = { ok: !failed.includes(s), error: failed.includes(s) ? (opts.error ?? 'unreachable: ECONNREFUSED') : null, durationMs: 1 };
  const statusOk = !failed.includes('status');
  return {
    id,
    startedAt: mark(id).startedAt,
    finishedAt: mark(id).startedAt + 100,
    durationMs: 100,
    failedSources: failed,
    sources,
    counts: { leaves: 1, hosts: 2, online: statusOk ? 2 : undefined, offline: statusOk ? (opts.offline ?? 0) : undefined },
  };
}

export function missingEpisode(host: string, after: number | null, by: number, lastSeen: number, endBy: number | null): MissingEpisode {
  const start = { after: after === null ? null : mark(after), by: mark(by) };
  const end = endBy === null ? null : mark(endBy);
  return {
    host,
    start,
    lastSeen: mark(lastSeen),
    endBy: end,
    duration: durationBounds(start, mark(lastSeen), end),
    probes: [{ status: 'OFFLINE', from: mark(by) }],
    answeredProbe: false,
  };
}

export function driftEpisode(leaf: string, by: number, lastSeen: number, endBy: number | null): DriftEpisode {
  const start = { after: mark(by - 1), by: mark(by) };
  const end = endBy === null ? null : mark(endBy);
  return {
    kind: 'leaf_hosts_differ',
    ids: [leaf],
    sources: ['zk.roles', 'chairman'],
    sides: { 'zk.roles': ['h1'], chairman: ['h1', 'h2'] },
    start,
    lastSeen: mark(lastSeen),
    endBy: end,
    duration: durationBounds(start, mark(lastSeen), end),
  };
}

export function change(by: number, source: SourceName, c: ChangeItem): ChangeEvent {
  return { type: 'change', at: { after: mark(by - 1), by: mark(by) }, source, change: c };
}

export function statusFlip(by: number, node: string, before: NodeStatus | null, after: NodeStatus | null): ChangeEvent {
  return change(by, 'status', { category: 'status_changed', id: node, before, after });
}

/** A tree of leaves `L<i>` holding hosts `h<i>-<j>`; `status` overrides per host (default ONLINE). */
export function treeView(leaves: Record<string, string[]>, status: Record<string, NodeStatus> = {}, missing: string[] = []): TreeView {
  return {
    rootAddress: ep(15000),
    rootStatus: 'ONLINE',
    leaves: Object.entries(leaves).map(([id, hosts]) => ({
      id,
      owner: hosts[0] ?? null,
      address: hosts.length ? ep(20000) : null,
      hosts: hosts.map((h) => ({ id: h, address: ep(20000), status: status[h] ?? 'ONLINE', missing: missing.includes(h), registered: true })),
    })),
  };
}

export function snapshotOverview(id: number, zk: TreeView, chairman: TreeView = zk, failed: SourceName[] = []): SnapshotOverview {
  const known = <T>(source: SourceName, value: T) =>
    failed.includes(source)
      ? { known: false, error: { kind: 'unreachable', message: 'ECONNREFUSED' }, lastOkSnapshot: id - 1, value }
      : { known: true, error: null, lastOkSnapshot: null, value };
  const verdicts: Record<string, NodeStatus> = {};
  for (const l of zk.leaves) for (const h of l.hosts) verdicts[h.id] = h.status ?? 'ONLINE';
  return {
    snapshot: { id, startedAt: mark(id).startedAt, finishedAt: mark(id).startedAt + 100, failedSources: failed.length },
    outcomes: [],
    services: known('zk.services', []),
    zkTree: known('zk.roles', { ...zk, leavesLeftOut: 0 }),
    chairmanTree: known('chairman', { ...chairman, leavesLeftOut: 0 }),
    rootChildren: known('root', []),
    missing: known('zk.missing', zk.leaves.flatMap((l) => l.hosts.filter((h) => h.missing).map((h) => h.id))),
    verdicts: known('status', verdicts),
    nodeErrors: [],
    agents: known('agents', {}),
  };
}

export function sourceDiff(source: SourceName, changes: ChangeItem[]): SourceDiff {
  const counts: SourceDiff['counts'] = {};
  for (const c of changes) counts[c.category] = (counts[c.category] ?? 0) + 1;
  return { source, from: { known: true }, to: { known: true }, total: changes.length, counts, changes };
}

/** A ReportInput assembled from parts; counts and totals follow from them. */
export function reportInput(parts: {
  collections: SnapshotSummary[];
  events?: ChangeEvent[];
  missing?: MissingEpisode[];
  drift?: DriftEpisode[];
  start: SnapshotOverview;
  end: SnapshotOverview;
  diff?: SourceDiff[];
}): ReportInput {
  const first = mark(parts.collections[0]!.id);
  const last = mark(parts.collections[parts.collections.length - 1]!.id);
  const events = parts.events ?? [];
  const missing = parts.missing ?? [];
  const drift = parts.drift ?? [];
  const hosts = [...new Set(missing.map((e) => e.host))];
  const counts: Record<string, number> = {};
  for (const e of events) counts[e.change.category] = (counts[e.change.category] ?? 0) + 1;
  const driftCounts: Record<string, number> = {};
  for (const e of drift) driftCounts[e.kind] = (driftCounts[e.kind] ?? 0) + 1;
  const diff = parts.diff ?? [];
  return {
    window: { first, last },
    collections: parts.collections,
    timeline: { window: { first, last }, sources: [...SOURCES], total: events.length, counts, events },
    missing: {
      window: { first, last },
      lastRead: last,
      unknownAtEnd: false,
      hosts: hosts.length,
      episodes: missing.length,
      stillMissing: hosts.filter((h) => missing.some((e) => e.host === h && e.endBy === null)).length,
      missing: hosts.map((host) => {
        const episodes = missing.filter((e) => e.host === host);
        return { host, episodes, stillMissing: episodes.some((e) => e.endBy === null) };
      }),
      blastRadius: { leaves: [], zones: [], unplaced: 0, unzoned: 0 },
    },
    drift: { window: { first, last }, evaluations: parts.collections.length, total: drift.length, open: drift.filter((e) => e.endBy === null).length, counts: driftCounts, episodes: drift },
    driftBlastRadius: { leaves: [], zones: [], unplaced: 0, unzoned: 0 },
    start: parts.start,
    end: parts.end,
    diff: { from: first, to: last, total: diff.reduce((n, s) => n + s.total, 0), sources: diff },
  };
}
