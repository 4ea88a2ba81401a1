// node-zookeeper-client writes each request to its socket as it is queued: one
// write system call per request, 10,000 a collection at 5,000 hosts. Installed
// once, for every client of the process: the first request queued in a turn of
// the event loop corks the socket and the queue is uncorked once that turn's
// callbacks and promise jobs have run, so the requests they queued leave
// together, in the order queued, as one write.
import type { Socket } from 'node:net';
import ConnectionManager from 'node-zookeeper-client/lib/ConnectionManager.js';

interface Manager {
  socket?: Socket | null;
  treesnapCorked?: boolean;
}

const proto = ConnectionManager.prototype as { onPacketQueueReadable(this: Manager): void; treesnapBatched?: true };

if (!proto.treesnapBatched) {
  const onPacketQueueReadable = proto.onPacketQueueReadable;
  proto.onPacketQueueReadable = function (this: Manager): void {
    const socket = this.socket;
    if (socket && !this.treesnapCorked && !socket.destroyed) {
      this.treesnapCorked = true;
      socket.cork();
      process.nextTick(() => {
        this.treesnapCorked = false;
        socket.uncork();
      });
    }
    onPacketQueueReadable.call(this);
  };
  proto.treesnapBatched = true;
}
