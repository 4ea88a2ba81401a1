// What one agent says about the leaf role it holds (the `agents` source).
// `unknown` (no answer, refused, garbage) is never the same as `no_role`.
import type { Endpoint, HostId, SchedulerId } from './ids.js';
import type { SourceError } from './source-error.js';

export type AgentView =
  | { host: HostId; state: 'role'; leafId: SchedulerId; parentId: SchedulerId | null; hostIds: HostId[] }
  | { host: HostId; state: 'no_role' }
  | { host: HostId; state: 'unknown'; error: SourceError };

/** `owners`: the leaf owners ZooKeeper names; `all`: every registered host. */
export type AgentsMode = 'owners' | 'all';

/** Half the probes' default: each agent call is a Thrift round trip, not a bare connect. */
export const DEFAULT_AGENT_CONCURRENCY = 32;

export interface AgentTarget {
  host: HostId;
  address: Endpoint;
}
