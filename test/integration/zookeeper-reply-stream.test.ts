// node-zookeeper-client's reading of replies, as mended in
// src/sources/zookeeper/zk-reply-buffer.ts, against a server on a real socket
// that speaks just enough of ZooKeeper's protocol to misbehave on cue: a reply
// cut short by a lost connection must not be read into the next session's
// bytes, and a reply the library cannot decode must drop the connection, not
// throw out of the socket's handler (which would end the daemon).
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, test } from 'node:test';
import { connectZookeeper } from '../../src/sources/zookeeper/connection.js';

const GET_DATA = 4;
const XID_PING = -2;

type Misbehaviour = 'cut-short' | 'unknown-error-code';

function frame(body: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

function connectResponse(): Buffer {
  const b = Buffer.alloc(4 + 4 + 8 + 4 + 16);
  b.writeInt32BE(0, 0); // protocol version
  b.writeInt32BE(30_000, 4); // session timeout
  b.writeBigInt64BE(0x1234n, 8); // session id
  b.writeInt32BE(16, 16); // password: 16 bytes
  return frame(b);
}

function replyHeader(xid: number, err: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeInt32BE(xid, 0);
  b.writeBigInt64BE(7n, 4);
  b.writeInt32BE(err, 12);
  return b;
}

function dataReply(xid: number, value: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeInt32BE(value.length);
  return frame(Buffer.concat([replyHeader(xid, 0), length, value, Buffer.alloc(68)]));
}

/** The first connection misbehaves at its first read; later ones answer every read with "hello". */
async function scriptedServer(misbehaviour: Misbehaviour): Promise<{ port: number; connections: () => number; server: Server }> {
  let connections = 0;
  const server = createServer((socket: Socket) => {
    const nth = ++connections;
    let held = Buffer.alloc(0);
    let greeted = false;
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      held = Buffer.concat([held, chunk]);
      while (held.length >= 4 && held.length >= 4 + held.readInt32BE(0)) {
        const body = held.subarray(4, 4 + held.readInt32BE(0));
        held = held.subarray(4 + body.length);
        if (!greeted) {
          greeted = true; // the connect request
          socket.write(connectResponse());
          continue;
        }
        const xid = body.readInt32BE(0);
        const type = body.readInt32BE(4);
        if (xid === XID_PING) socket.write(frame(replyHeader(XID_PING, 0)));
        else if (type !== GET_DATA) socket.write(frame(replyHeader(xid, 0)));
        else if (nth > 1) socket.write(dataReply(xid, Buffer.from('hello')));
        else if (misbehaviour === 'unknown-error-code') socket.write(frame(replyHeader(xid, -760152064)));
        else {
          // A frame that promises 100 bytes, 10 of them sent, and the connection lost.
          const cut = Buffer.alloc(14);
          cut.writeInt32BE(100, 0);
          socket.end(cut, () => socket.destroy());
        }
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as { port: number }).port, connections: () => connections, server };
}

const servers: Server[] = [];
after(() => {
  for (const s of servers) s.close();
});

const WHAT: Record<Misbehaviour, string> = {
  'cut-short': 'a reply cut short by the connection closing',
  'unknown-error-code': 'a reply with an error code the library does not know',
};

for (const misbehaviour of ['cut-short', 'unknown-error-code'] as const) {
  test(`after ${WHAT[misbehaviour]}, the read fails, the client connects again and the next read is answered`, { timeout: 30_000 }, async () => {
    const { port, connections, server } = await scriptedServer(misbehaviour);
    servers.push(server);
    const connected = await connectZookeeper(`127.0.0.1:${port}`, { connectTimeoutMs: 5000, requestTimeoutMs: 3000 });
    assert.ok(connected.ok, connected.ok ? '' : connected.error.message);
    const zk = connected.value;
    try {
      const first = await zk.data('/x');
      assert.equal(first.ok, false, 'the misbehaving reply is not a value');
      const second = await zk.data('/x');
      assert.ok(second.ok, second.ok ? '' : `second read: ${second.error.message}`);
      assert.equal(second.value?.toString(), 'hello');
      assert.equal(connections(), 2);
    } finally {
      await zk.close();
    }
  });
}
