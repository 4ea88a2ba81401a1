// How node-zookeeper-client reads replies, mended in three places. Installed
// once, for every client of the process (the daemon's collections and its
// watcher share one thread since 2026-12-06: a throw here would end the daemon).
//
// 1. No copy per reply. The library concatenates what it holds with each new
//    chunk; after each reply it handles, it calls itself again with an empty
//    chunk for the next one, so every reply in a chunk copied the rest of the
//    chunk. A 5,000-host collection's replies arrive in chunks of tens of KiB
//    holding hundreds of replies each: the copies made most of a collection's
//    allocation. Given an empty chunk, the held bytes are handed over as the
//    chunk itself (a view, no copy), which the original reads exactly as it
//    would have read their copy.
// 2. A closed socket's bytes are dropped. The library keeps a reply cut short
//    by a lost connection and prepends it to the next connection's first
//    bytes, so the new session's answer is read as garbage (seen in a quorum
//    loss: the client then never connected again, or threw).
// 3. Bytes it cannot read end the connection, not the process. The library
//    throws from its socket's 'data' handler on a reply it cannot decode (an
//    unknown error code, a value cut short), and so does a watch handler it
//    calls from there that throws; the connection is dropped
//    instead, as the library itself does for a reply out of order: its
//    requests fail with CONNECTION_LOSS and it connects again.
import ConnectionManager from 'node-zookeeper-client/lib/ConnectionManager.js';
import type { Socket } from 'node:net';

interface Manager {
  pendingBuffer: Buffer | null;
  socket?: Socket;
}

interface Methods {
  onSocketData(this: Manager, buffer: Buffer): void;
  onSocketClosed(this: Manager, hadError: boolean): void;
  treesnapReplies?: true;
}

const proto = ConnectionManager.prototype as Methods;

if (!proto.treesnapReplies) {
  const onSocketData = proto.onSocketData;
  proto.onSocketData = function (this: Manager, buffer: Buffer): void {
    const pending = this.pendingBuffer;
    try {
      if (buffer.length !== 0 || pending === null) return onSocketData.call(this, buffer);
      this.pendingBuffer = null;
      onSocketData.call(this, pending);
    } catch {
      this.pendingBuffer = null;
      this.socket?.destroy();
    }
  };
  const onSocketClosed = proto.onSocketClosed;
  proto.onSocketClosed = function (this: Manager, hadError: boolean): void {
    this.pendingBuffer = null;
    onSocketClosed.call(this, hadError);
  };
  proto.treesnapReplies = true;
}
