// The collection worker's entry point: runs collect() on request and posts
// the Observation back. Collections run in this worker thread so that one the
// daemon abandons can be stopped for real: terminating the worker closes its
// ZooKeeper and Thrift sockets, and nothing of it outlives the abandon.
//
// The observation crosses as a patch against the last one posted, when the
// daemon says it holds that one (value-patch.ts): what changed, not ~6 MB.
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { collect } from '../collect/collect.js';
import type { Observation } from '../model/observation.js';
import type { FromWorker, ToWorker } from './collection-worker-protocol.js';
import { diff } from './value-patch.js';

const port = parentPort;
if (!port) throw new Error('collection-worker.ts runs only as a worker thread');

const send = (m: FromWorker): void => port.postMessage(m);

/** The last observation posted, by its request id. */
let posted: { id: number; observation: Observation } | null = null;

port.on('message', (m: ToWorker) => {
  if (m.type !== 'collect') return;
  // Dropped first: a base the daemon does not hold must not be kept alive through a collection.
  const base = posted?.id === m.base ? posted : null;
  posted = null;
  collect(m.options).then(
    (observation) => {
      const patch = base ? diff(base.observation, observation) : { v: observation };
      posted = { id: m.id, observation };
      const h = getHeapStatistics();
      send({ type: 'observation', id: m.id, base: base?.id ?? 0, patch, heap: { usedBytes: h.used_heap_size, totalBytes: h.total_heap_size } });
    },
    // collect() reports every source failure as a value: a throw here is a bug.
    (e: unknown) => send({ type: 'crashed', id: m.id, message: e instanceof Error ? e.message : String(e) }),
  );
});

send({ type: 'ready' });
