// Small per-source numbers kept with each snapshot's outcome row (pure).
// Probe latencies live here as percentiles: storing each node's latency on
// every collection would make storage grow with collections x cluster size.
import type { StatusProbe } from '../model/status.js';
import type { AgentView } from '../model/agent-view.js';
import type { SourceFacts } from './source-facts.js';

export type SourceStats = Record<string, number>;

function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, i)] ?? 0) * 100) / 100;
}

// Counted by verdict and then named, and the latencies sorted as numbers in
// one typed array: the daemon does this for 5,000 nodes every tick, where a
// name, an array and a comparator call per node made 15,000 objects.
function probeStats(probes: StatusProbe[]): SourceStats {
  const stats: SourceStats = { nodes: probes.length };
  const byStatus = new Map<string, number>();
  const latencies = new Float64Array(probes.length);
  let timed = 0;
  for (const p of probes) {
    byStatus.set(p.status, (byStatus.get(p.status) ?? 0) + 1);
    if (p.latencyMs !== null) latencies[timed++] = p.latencyMs;
  }
  for (const [status, count] of byStatus) {
    const name = status.toLowerCase();
    stats[name] = (stats[name] ?? 0) + count;
  }
  const sorted = latencies.subarray(0, timed).sort();
  stats.latency_p50_ms = percentile(sorted, 50);
  stats.latency_p99_ms = percentile(sorted, 99);
  stats.latency_max_ms = percentile(sorted, 100);
  return stats;
}

/** How many agents were asked, and what they answered (a role, no role, or nothing usable). */
function agentStats(views: AgentView[]): SourceStats {
  const stats: SourceStats = { asked: views.length };
  for (const v of views) stats[v.state] = (stats[v.state] ?? 0) + 1;
  return stats;
}

/**
 * How many facts of each kind a reading holds, kept as long as the reading: the
 * daemon hands over a source's unchanged reading again, whose facts are then
 * never made (source-facts.ts fromReading), so they are counted once.
 */
const countsOf = new WeakMap<object, SourceStats>();

function kindCounts(sf: Extract<SourceFacts, { ok: true }>): SourceStats {
  const reading = sf.reading.result;
  let counts = countsOf.get(reading);
  if (!counts) {
    counts = {};
    for (const f of sf.facts) counts[f.kind] = (counts[f.kind] ?? 0) + 1;
    countsOf.set(reading, counts);
  }
  return counts;
}

export function sourceStats(sf: SourceFacts): SourceStats {
  const from = sf.reading.addressFromSnapshot;
  if (!sf.ok) return from === undefined ? {} : { address_from_snapshot: from };
  if (sf.source === 'status') {
    const r = sf.reading.result;
    return r.ok ? probeStats(Object.values(r.value as Record<string, StatusProbe>)) : {};
  }
  if (sf.source === 'agents') {
    const r = sf.reading.result;
    return r.ok ? agentStats(r.value as AgentView[]) : {};
  }
  const stats: SourceStats = { ...kindCounts(sf) };
  // Read at the address last known because ZooKeeper could not name the leader.
  if (from !== undefined) stats.address_from_snapshot = from;
  return stats;
}
