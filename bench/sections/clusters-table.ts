// The clusters section's tables (pure): per engine, each cluster's writes and
// size against the collection interval, then its queries; and a line of ranges
// across the clusters.
import type { Summary } from '../stats.js';
import { table, type Cell } from '../table.js';
import type { ClustersResult, EngineClusters } from './clusters.js';

const MiB = 2 ** 20;

/** min–max of `values`, as text ("-" for none). */
export function range(values: readonly number[], digits = 1): string {
  if (values.length === 0) return '-';
  const lo = Math.min(...values).toFixed(digits);
  const hi = Math.max(...values).toFixed(digits);
  return lo === hi ? lo : `${lo}–${hi}`;
}

function writesTable(r: ClustersResult, e: EngineClusters): string {
  const budgetMs = r.spec.stepMs;
  const within = (s: Summary) => (s.p99 < budgetMs ? 'yes' : `NO (${(s.p99 / budgetMs).toFixed(1)}x)`);
  const rows = e.clusters.map((c): Cell[] => [c.cluster, c.writes.n, c.firstWriteMs, c.writes.p50, c.writes.p99, c.writes.max, within(c.writes), c.rowBytes === null ? null : c.rowBytes / MiB]);
  return table(
    `${e.engine}: ${r.spec.clusters} clusters x ${r.spec.hosts} hosts, ${r.spec.ticks} collections each ${r.spec.stepMs / 1000} s apart, writes ${e.writers}; ${(e.databaseBytes / MiB).toFixed(0)} MiB in all; write per collection, ms (budget: the ${budgetMs / 1000} s interval)`,
    ['cluster', 'writes', '1st (whole cluster)', 'p50', 'p99', 'max', `p99 < ${budgetMs / 1000} s`, 'row MiB'],
    rows,
  );
}

function queriesTable(e: EngineClusters): string {
  const names = e.clusters[0]?.queries.map((q) => q.name) ?? [];
  const rows = e.clusters.map((c): Cell[] => [c.cluster, ...c.queries.flatMap((q) => [q.ms.p50, q.ms.p99])]);
  return table(`${e.engine}: queries per cluster, ms (p50 / p99 of ${e.clusters[0]?.queries[0]?.ms.n ?? 0} calls after the 1st)`, ['cluster', ...names.flatMap((n) => [`${n} p50`, 'p99'])], rows);
}

/** Ranges across the clusters, one line per engine. */
function summaryLines(r: ClustersResult): string[] {
  return r.engines.map((e) => {
    const c = e.clusters;
    const queries = (c[0]?.queries ?? []).map((q, j) => `${q.name} p50 ${range(c.map((x) => x.queries[j]!.ms.p50))} ms`);
    return `${e.engine}: write p50 ${range(c.map((x) => x.writes.p50))} ms, p99 ${range(c.map((x) => x.writes.p99))} ms per cluster; a whole tick after the 1st (${c.length} writes) p50 ${e.tickMs.p50.toFixed(0)} ms, p99 ${e.tickMs.p99.toFixed(0)} ms; ${(e.databaseBytes / MiB).toFixed(0)} MiB; ${queries.join(', ')}`;
  });
}

export function clustersTables(r: ClustersResult): string {
  const parts = r.engines.flatMap((e) => [writesTable(r, e), queriesTable(e)]);
  return [...parts, '', ...summaryLines(r), `(deltas generated in ${(r.generationMs / 1000).toFixed(1)} s, outside every write time)`].join('\n');
}
