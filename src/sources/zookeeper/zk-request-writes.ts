// node-zookeeper-client writes each request to its socket as it is queued:
// one write system call per request. A collection queues requests in bursts
// (256 reads at once, then a batch more as each chunk of replies is read), and
// at 5,000 hosts those writes cost the collection worker ~0.18 CPU-s per tick
// (its largest item after garbage collection and the probes' sockets).
// Installed once, for every client of the process: the socket is corked while
// the library writes, and uncorked once the current burst is over (on the
// next tick of the event loop's job queue, after the promise jobs that queue
// the burst's later requests), so a burst leaves in one writev. The bytes and
// their order are the library's own; only the number of writes changes.
import type { Socket } from 'node:net';
import ConnectionManager from 'node-zookeeper-client/lib/ConnectionManager.js';

interface Manager {
  socket: Socket | undefined;
}

const proto = ConnectionManager.prototype as { onPacketQueueReadable(this: Manager): void; treesnapCorked?: true };

if (!proto.treesnapCorked) {
  const onPacketQueueReadable = proto.onPacketQueueReadable;
  proto.onPacketQueueReadable = function (this: Manager): void {
    const socket = this.socket;
    // Corked already: this burst's uncork is scheduled; the library's writes join it.
    if (!socket || socket.writableCorked > 0 || socket.destroyed) return onPacketQueueReadable.call(this);
    socket.cork();
    try {
      onPacketQueueReadable.call(this);
    } finally {
      process.nextTick(() => socket.uncork());
    }
  };
  proto.treesnapCorked = true;
}
