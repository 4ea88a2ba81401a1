// Messages between the daemon and its collection worker (structured-clone data only).
import type { CollectOptions } from '../collect/collect.js';
import type { Observation } from '../model/observation.js';

/** CollectOptions without its callbacks, which cannot cross threads. */
export type WorkerCollectOptions = Omit<CollectOptions, 'onProbeProgress' | 'now'>;

export type ToWorker = { type: 'collect'; id: number; options: WorkerCollectOptions };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'observation'; id: number; observation: Observation }
  | { type: 'crashed'; id: number; message: string };
