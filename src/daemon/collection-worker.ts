// The collection worker's entry point: runs collect() on request and posts
// the Observation back. Collections run in this worker thread so that one the
// daemon abandons can be stopped for real: terminating the worker closes its
// ZooKeeper and Thrift sockets, and nothing of it outlives the abandon.
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { collect } from '../collect/collect.js';
import type { FromWorker, ToWorker } from './collection-worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('collection-worker.ts runs only as a worker thread');

const send = (m: FromWorker): void => port.postMessage(m);

port.on('message', (m: ToWorker) => {
  if (m.type !== 'collect') return;
  collect(m.options).then(
    (observation) => {
      const h = getHeapStatistics();
      send({ type: 'observation', id: m.id, observation, heap: { usedBytes: h.used_heap_size, totalBytes: h.total_heap_size } });
    },
    // collect() reports every source failure as a value: a throw here is a bug.
    (e: unknown) => send({ type: 'crashed', id: m.id, message: e instanceof Error ? e.message : String(e) }),
  );
});

send({ type: 'ready' });
