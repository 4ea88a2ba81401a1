// Messages between the daemon and its collection worker (structured-clone data only).
import type { CollectOptions } from '../collect/collect.js';
import type { Observation } from '../model/observation.js';

/** CollectOptions without its callbacks, which cannot cross threads. */
export type WorkerCollectOptions = Omit<CollectOptions, 'onProbeProgress' | 'now'>;

export type ToWorker = { type: 'collect'; id: number; options: WorkerCollectOptions };

/** The worker's V8 heap when it posted the observation (bytes): it is not in the main thread's process.memoryUsage(). */
export interface WorkerHeap {
  usedBytes: number;
  totalBytes: number;
}

export type FromWorker =
  | { type: 'ready' }
  | { type: 'observation'; id: number; observation: Observation; heap: WorkerHeap }
  | { type: 'crashed'; id: number; message: string };
