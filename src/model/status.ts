// Node status as probed over Thrift.
import type { Endpoint } from './ids.js';

export type NodeStatus =
  | 'ONLINE' // a framed TCP connection opened (and the optional RPC answered)
  | 'OFFLINE' // refused, reset or timed out
  | 'ERROR' // connected but the peer misbehaved
  | 'UNKNOWN'; // no address known: nothing to probe

export interface StatusProbe {
  address: Endpoint | null;
  status: NodeStatus;
  /** Milliseconds until the verdict; null when not probed. */
  latencyMs: number | null;
  message?: string;
}
