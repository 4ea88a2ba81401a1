// Node status probes, with the original tool's semantics: ONLINE when a TCP
// connection to the node's address opens, OFFLINE when it does not (refused,
// reset, timed out), UNKNOWN when the address is unknown. 'ping' mode also
// asks AgentControl.ping to answer (agents only: the chairman and the root
// scheduler do not serve AgentControl) and reports ERROR when it does not.
import { ROOT_SCHEDULER_ID, type Endpoint } from '../../model/ids.js';
import type { StatusProbe } from '../../model/status.js';
import { openRpcConnection } from '../thrift/rpc-connection.js';
import { ConnectProber } from './connect-prober.js';
import { AGENT_CONTROL_SERVICE } from '../thrift/photon-services.js';
import photon from '../../generated/thrift/photon_types.js';
import { mapPool } from '../../util/map-pool.js';
import type { ConnectionScope } from '../connection-scope.js';

export type ProbeMode = 'connect' | 'ping';

export interface ProbeOptions {
  /** Deadline of the connect, and in 'ping' mode separately of the ping. */
  timeoutMs: number;
  mode: ProbeMode;
  /** The collection's connections, which ending it closes (connection-scope.ts). */
  scope?: ConnectionScope;
}

export interface ProbeAllOptions extends ProbeOptions {
  /** Probes in flight at once; default 64. */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_PROBE_CONCURRENCY = 64;

// A ping reply is a few bytes. With many probes in flight, the 64 MiB default
// would let hostile peers hold gigabytes of buffers between them.
const PING_MAX_FRAME_BYTES = 64 * 1024;

/** Probes one node; `prober` is the connect mode's socket, when a caller reuses one (connect-prober.ts). */
export async function probeStatus(address: Endpoint | null, options: ProbeOptions, prober?: ConnectProber): Promise<StatusProbe> {
  if (!address) return { address: null, status: 'UNKNOWN', latencyMs: null };
  // Only whether the connection opens: a bare socket, closed at once (no Thrift connection built around it).
  if (options.mode === 'connect') return (prober ?? new ConnectProber()).probe(address, options.timeoutMs, options.scope);
  const started = performance.now();
  const since = () => Math.round((performance.now() - started) * 1000) / 1000;
  const opened = await openRpcConnection(address, {
    connectTimeoutMs: options.timeoutMs,
    callTimeoutMs: options.timeoutMs,
    maxFrameBytes: PING_MAX_FRAME_BYTES,
    scope: options.scope,
  });
  if (!opened.ok) return { address, status: 'OFFLINE', latencyMs: since(), message: opened.error.message };
  const connection = opened.value;
  const pinged = await connection.call(AGENT_CONTROL_SERVICE, 'ping', (c) => c.ping(new photon.PingRequest()));
  connection.close();
  if (!pinged.ok) {
    return { address, status: 'ERROR', latencyMs: since(), message: `${pinged.error.kind}: ${pinged.error.message}` };
  }
  return { address, status: 'ONLINE', latencyMs: since() };
}

/** Probes every target, at most `concurrency` at once; the result keeps the targets' key order. */
export async function probeAll(
  targets: Map<string, Endpoint | null>,
  options: ProbeAllOptions,
): Promise<Map<string, StatusProbe>> {
  const entries = [...targets];
  let done = 0;
  // One socket per probe in flight, each reused for the next target (connect-prober.ts).
  const idle: ConnectProber[] = [];
  const probes = await mapPool(entries, options.concurrency ?? DEFAULT_PROBE_CONCURRENCY, async ([id, address]) => {
    const prober = idle.pop() ?? new ConnectProber();
    // The root scheduler serves no AgentControl: pinging it would make it ERROR on every collection.
    const probe = await probeStatus(address, id === ROOT_SCHEDULER_ID ? { ...options, mode: 'connect' } : options, prober);
    idle.push(prober);
    done += 1;
    options.onProgress?.(done, entries.length);
    return probe;
  });
  return new Map(entries.map(([key], i) => [key, probes[i] as StatusProbe]));
}
