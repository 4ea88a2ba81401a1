// What one collection saw, source by source, before it is turned into facts.
// Each reading is a Result: a failed source is an error value, never empty data.
import type { AgentView } from './agent-view.js';
import type { HostRegistration } from './host-config.js';
import type { Endpoint, HostId } from './ids.js';
import type { Result } from './result.js';
import type { NodeError, SourceError } from './source-error.js';
import type { StatusProbe } from './status.js';
import type { RootChild, SchedulerTree } from './tree.js';
import type { ZkStat } from './zk-stat.js';

export interface SourceReading<T> {
  durationMs: number;
  /** Where the source was read from, when it is one address (chairman, root). */
  endpoint: Endpoint | null;
  /**
   * Set when ZooKeeper could not name the leader and `endpoint` is the
   * address last read from it, in this snapshot id (never a guess: no
   * ZooKeeper answer, no fallback).
   */
  addressFromSnapshot?: number;
  result: Result<T, SourceError>;
}

export type ServiceName = 'chairman' | 'root-scheduler';

export interface ServiceView {
  service: ServiceName;
  members: { name: string; address: Endpoint | null; error: string | null }[];
}

export interface Observation {
  startedAt: number;
  finishedAt: number;
  services: SourceReading<ServiceView[]>;
  roles: SourceReading<{ tree: SchedulerTree; errors: NodeError[] }>;
  hosts: SourceReading<{ hosts: HostRegistration[]; errors: NodeError[] }>;
  missing: SourceReading<HostId[]>;
  chairman: SourceReading<SchedulerTree>;
  root: SourceReading<RootChild[]>;
  /** Keyed by node id: a host id, or ROOT for the root scheduler. */
  status: SourceReading<Record<string, StatusProbe>>;
  /** Each asked agent's own view of its leaf role (`--agents owners|all`), in host order. */
  agents: SourceReading<AgentView[]>;
  /** The Stat of every ZooKeeper node the collection read, by path (absent when none was read). */
  zkStats?: Record<string, ZkStat>;
}
