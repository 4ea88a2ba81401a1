// One collection: reads every source of one cluster, concurrently where the
// sources are independent, each with its own timeout, and returns what each
// said as an Observation. Nothing here throws for a failing source: a failure
// is that source's reading. The store turns the Observation into history.
import { performance } from 'node:perf_hooks';
import type { Endpoint } from '../model/ids.js';
import { err, ok, type Result } from '../model/result.js';
import { sourceError, type SourceError } from '../model/source-error.js';
import type { SchedulerTree } from '../model/tree.js';
import type { StatusProbe } from '../model/status.js';
import { connectZookeeper } from '../sources/zookeeper/connection.js';
import type { ZkReader } from '../sources/zookeeper/zk-reader.js';
import { readMissingHosts } from '../sources/zookeeper/read-missing-hosts.js';
import { readRegisteredHosts } from '../sources/zookeeper/read-registered-hosts.js';
import { readServiceMembers } from '../sources/zookeeper/read-service-members.js';
import { readZkTree } from '../sources/zookeeper/read-zk-tree.js';
import { getChairmanSchedulers } from '../sources/thrift/chairman-client.js';
import { chairmanTree } from '../sources/thrift/chairman-tree.js';
import { getRootSchedulers } from '../sources/thrift/root-scheduler-client.js';
import { rootChildren } from '../sources/thrift/root-children.js';
import { probeAll } from '../sources/probe/probe-status.js';
import type { Observation, ServiceName, ServiceView, SourceReading } from '../model/observation.js';
import { leaderAddress, SERVICE_PATHS, type LastKnownLeaders, type LeaderAddress } from './leader-address.js';
import { probeTargets } from './probe-targets.js';
import { agentTargetsOf, readAgentsSource } from './agents-source.js';
import { DEFAULT_AGENT_CONCURRENCY, type AgentsMode } from '../model/agent-view.js';
import { ConnectionScope } from '../sources/connection-scope.js';

export interface CollectOptions {
  /** host:port[,host:port][/chroot] */
  zk: string;
  zkAuth?: { user: string; password: string };
  /** Override the chairman / root scheduler found through ZooKeeper leaders. */
  chairman?: Endpoint;
  root?: Endpoint;
  connectTimeoutMs: number;
  /** ZooKeeper's own connect timeout when it must be shorter (the daemon's budget); else connectTimeoutMs. */
  zkConnectTimeoutMs?: number;
  /** Where the leaders were last read, tried only when ZooKeeper cannot be read (leader-address.ts). */
  lastKnownLeaders?: LastKnownLeaders;
  /** Per ZooKeeper request and per Thrift call. */
  requestTimeoutMs: number;
  probeTimeoutMs: number;
  probeConcurrency: number;
  probeMode: 'connect' | 'ping';
  /** Whose own view of its leaf role to read: the leaf owners (default) or every registered host. */
  agents?: AgentsMode;
  /** Agents asked at once (default DEFAULT_AGENT_CONCURRENCY). */
  agentConcurrency?: number;
  onProbeProgress?: (done: number, total: number) => void;
  now?: () => number;
  /**
   * Gives the collection up (the daemon's budget or stop): every connection it
   * holds is closed and none is opened after, so it ends at once, its sources
   * failed with kind 'abandoned'. Its observation is then for nobody to record.
   */
  signal?: AbortSignal;
}

async function timed<T>(endpoint: Endpoint | null, read: () => Promise<Result<T, SourceError>>): Promise<SourceReading<T>> {
  const t0 = performance.now();
  const result = await read();
  return { durationMs: performance.now() - t0, endpoint, result };
}

function failedReading<T>(error: SourceError, endpoint: Endpoint | null = null): SourceReading<T> {
  return { durationMs: 0, endpoint, result: err(error) };
}

/** Both services at once (two round trips, not four); the first failure in SERVICE_PATHS order is the answer, as before. */
async function readServices(zk: ZkReader): Promise<Result<ServiceView[], SourceError>> {
  const names = Object.keys(SERVICE_PATHS) as ServiceName[];
  const reads = await Promise.all(names.map((service) => readServiceMembers(zk, SERVICE_PATHS[service])));
  const views: ServiceView[] = [];
  for (const [i, r] of reads.entries()) {
    if (!r.ok) return r;
    views.push({
      service: names[i]!,
      members: r.value.members.map((m) => ({ name: m.name, address: m.address, error: m.error?.message ?? null })),
    });
  }
  return ok(views);
}

async function readRpcSource<T>(
  address: Result<LeaderAddress, SourceError>,
  read: (ep: Endpoint) => Promise<Result<T, SourceError>>,
): Promise<SourceReading<T>> {
  if (!address.ok) return failedReading(address.error);
  const { endpoint, fromSnapshot } = address.value;
  const reading = await timed(endpoint, () => read(endpoint));
  return fromSnapshot === null ? reading : { ...reading, addressFromSnapshot: fromSnapshot };
}

function probeStatus(targets: Map<string, Endpoint | null> | null, opts: CollectOptions, scope: ConnectionScope): Promise<SourceReading<Record<string, StatusProbe>>> {
  if (!targets) {
    return Promise.resolve(failedReading(sourceError('unreachable', 'node list unknown: ZooKeeper and chairman both unreadable')));
  }
  return timed(null, async () =>
    ok(
      Object.fromEntries(
        await probeAll(targets, {
          concurrency: opts.probeConcurrency,
          timeoutMs: opts.probeTimeoutMs,
          mode: opts.probeMode,
          onProgress: opts.onProbeProgress,
          scope,
        }),
      ),
    ),
  );
}

export async function collect(opts: CollectOptions): Promise<Observation> {
  const now = opts.now ?? Date.now;
  const startedAt = now();
  const { scope, dispose } = ConnectionScope.of(opts.signal, 'the collection was given up');
  const rpc = { connectTimeoutMs: opts.connectTimeoutMs, callTimeoutMs: opts.requestTimeoutMs, scope };
  const connected = await connectZookeeper(opts.zk, {
    connectTimeoutMs: opts.zkConnectTimeoutMs ?? opts.connectTimeoutMs,
    requestTimeoutMs: opts.requestTimeoutMs,
    auth: opts.zkAuth,
    scope,
  });
  const zk = connected.ok ? connected.value : null;
  try {
    const zkDown = connected.ok ? null : connected.error;
    const services = zk ? await timed(null, () => readServices(zk)) : failedReading<ServiceView[]>(zkDown!);
    const rootAddress = leaderAddress(services, 'root-scheduler', opts.root, opts.lastKnownLeaders?.['root-scheduler']);
    const chairmanAddress = leaderAddress(services, 'chairman', opts.chairman, opts.lastKnownLeaders?.chairman);
    const rootEp = rootAddress.ok ? rootAddress.value.endpoint : null;
    const [roles, hosts, missing, chairman, root] = await Promise.all([
      zk ? timed(null, () => readZkTree(zk, rootEp)) : failedReading<{ tree: SchedulerTree; errors: [] }>(zkDown!),
      zk ? timed(null, () => readRegisteredHosts(zk)) : failedReading<never>(zkDown!),
      zk ? timed(null, () => readMissingHosts(zk)) : failedReading<string[]>(zkDown!),
      readRpcSource(chairmanAddress, async (ep) => {
        const r = await getChairmanSchedulers(ep, rpc);
        return r.ok ? chairmanTree(r.value, rootEp) : r;
      }),
      readRpcSource(rootAddress, async (ep) => {
        const r = await getRootSchedulers(ep, rpc);
        return r.ok ? rootChildren(r.value) : r;
      }),
    ]);
    const targets = probeTargets({
      rootAddress: rootEp,
      zkTree: roles.result,
      registrations: hosts.result,
      chairmanTree: chairman.result,
    });
    const agentTargets = agentTargetsOf({
      mode: opts.agents ?? 'owners',
      zkTree: roles.result,
      registrations: hosts.result,
      chairmanTree: chairman.result,
    });
    const [status, agents] = await Promise.all([
      probeStatus(targets, opts, scope),
      timed(null, () => readAgentsSource(agentTargets, { rpc, concurrency: opts.agentConcurrency ?? DEFAULT_AGENT_CONCURRENCY })),
    ]);
    const zkStats = zk ? Object.fromEntries(zk.seenStats()) : undefined;
    return { startedAt, finishedAt: now(), services, roles, hosts, missing, chairman, root, status, agents, zkStats };
  } finally {
    await zk?.close();
    dispose();
  }
}
