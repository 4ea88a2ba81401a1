// node-zookeeper-client reads replies by concatenating what it holds with each
// new chunk; after each reply it handles, it calls itself again with an empty
// chunk for the next one, so every reply in a chunk copied the rest of the
// chunk (Buffer.concat of the pending bytes and nothing). A 5,000-host
// collection's replies arrive in chunks of tens of KiB holding hundreds of
// replies each: the copies made most of the collection worker's allocation
// and, through it, of its garbage collection. Installed once, for every
// client of the process: given an empty chunk, the held bytes are handed
// over as the chunk itself (a view, no copy), which the original then reads
// exactly as it would have read their copy.
import ConnectionManager from 'node-zookeeper-client/lib/ConnectionManager.js';

interface Manager {
  pendingBuffer: Buffer | null;
}

const proto = ConnectionManager.prototype as { onSocketData(this: Manager, buffer: Buffer): void; treesnapNoCopy?: true };

if (!proto.treesnapNoCopy) {
  const onSocketData = proto.onSocketData;
  proto.onSocketData = function (this: Manager, buffer: Buffer): void {
    const pending = this.pendingBuffer;
    if (buffer.length !== 0 || pending === null) return onSocketData.call(this, buffer);
    this.pendingBuffer = null;
    onSocketData.call(this, pending);
  };
  proto.treesnapNoCopy = true;
}
