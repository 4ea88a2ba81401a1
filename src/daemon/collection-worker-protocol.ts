// Messages between the daemon and its collection worker (structured-clone data only).
import type { CollectOptions } from '../collect/collect.js';
import type { Patch } from './value-patch.js';

/** CollectOptions without its callbacks, which cannot cross threads. */
export type WorkerCollectOptions = Omit<CollectOptions, 'onProbeProgress' | 'now'>;

/** base: the id of the observation the daemon holds from this worker (0: none), which the reply may be a patch against. */
export type ToWorker = { type: 'collect'; id: number; base: number; options: WorkerCollectOptions };

/** The worker's V8 heap when it posted the observation (bytes): it is not in the main thread's process.memoryUsage(). */
export interface WorkerHeap {
  usedBytes: number;
  totalBytes: number;
}

export type FromWorker =
  | { type: 'ready' }
  /** The observation as a patch (value-patch.ts) against observation `base` (0: against nothing, i.e. whole). */
  | { type: 'observation'; id: number; base: number; patch: Patch; heap: WorkerHeap }
  | { type: 'crashed'; id: number; message: string };
