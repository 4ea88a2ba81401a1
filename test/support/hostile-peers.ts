// Peers that misbehave the ways a Thrift client must survive: real sockets on
// 127.0.0.1, each misbehaving once the client has sent its first bytes.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import thrift from 'thrift';
import type { Endpoint } from '../../src/model/ids.js';

export type HostileBehaviour =
  /** Accepts, reads, never answers. */
  | 'silent'
  /** Answers plain text (an HTTP error): its first 4 bytes read as a frame length of about 1.2 GB. */
  | 'garbage'
  /** Answers a well-sized frame whose payload is not a Thrift message. */
  | 'garbage-frame'
  /** Answers a frame header for 100 bytes, sends 10 of them, then closes. */
  | 'close-mid-frame'
  /** Answers a frame header claiming 0xFFFFFFF0 bytes (4 GB), then keeps the connection open. */
  | 'huge-frame'
  /** Answers a frame header, then one byte every 50 ms: the frame never completes. */
  | 'drip'
  /** Accepts and closes at once, before any answer. */
  | 'hang-up'
  /** Accepts and resets the connection (RST). */
  | 'reset'
  /** Answers a well-formed get_schedulers reply with a seqid nobody sent. */
  | 'wrong-seqid'
  /** Answers a whole frame holding only the first half of a reply message. */
  | 'truncated-reply';

export interface HostilePeer {
  endpoint: Endpoint;
  /** Connections the peer still holds open: 0 once clients have closed theirs. */
  readonly openConnections: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  close(): Promise<void>;
}

export async function startHostilePeer(behaviour: HostileBehaviour): Promise<HostilePeer> {
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    if (behaviour === 'hang-up') {
      socket.resume(); // read on, so the client's close is seen
      socket.end();
      return;
    }
    if (behaviour === 'reset') {
      socket.resetAndDestroy();
      return;
    }
    socket.once('data', () => misbehave(behaviour, socket, timers));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    endpoint: { host: '127.0.0.1', port },
    get openConnections() {
      return sockets.size;
    },
    get accepted() {
      return accepted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearInterval(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function misbehave(behaviour: HostileBehaviour, socket: net.Socket, timers: Set<NodeJS.Timeout>): void {
  switch (behaviour) {
    case 'silent':
      return;
    case 'garbage':
      socket.write('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
      return;
    case 'garbage-frame':
      socket.write(Buffer.concat([frameHeader(32), Buffer.alloc(32, 0xa5)]));
      return;
    case 'close-mid-frame':
      socket.end(Buffer.concat([frameHeader(100), Buffer.alloc(10, 0x01)]));
      return;
    case 'huge-frame':
      socket.write(Buffer.concat([frameHeader(0xfffffff0), Buffer.alloc(1024, 0x00)]));
      return;
    case 'drip': {
      socket.write(frameHeader(1000));
      const t = setInterval(() => socket.write(Buffer.from([0x00])), 50);
      timers.add(t);
      socket.on('close', () => clearInterval(t));
      return;
    }
    case 'wrong-seqid':
      socket.write(replyFrame('get_schedulers', 9999));
      return;
    case 'truncated-reply': {
      const whole = replyFrame('get_schedulers', 1).subarray(4);
      const half = whole.subarray(0, Math.floor(whole.length / 2));
      socket.write(Buffer.concat([frameHeader(half.length), half]));
      return;
    }
    default:
      return;
  }
}

function frameHeader(length: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(length, 0);
  return b;
}

/** A framed compact REPLY message with an empty result struct. */
function replyFrame(method: string, seqid: number): Buffer {
  let frame: Buffer = Buffer.alloc(0);
  const transport = new thrift.TFramedTransport(undefined, (buf?: Buffer) => {
    if (buf) frame = buf;
  });
  const out = new thrift.TCompactProtocol(transport);
  out.writeMessageBegin(method, thrift.Thrift.MessageType.REPLY, seqid);
  out.writeStructBegin('result');
  out.writeFieldStop();
  out.writeStructEnd();
  out.writeMessageEnd();
  transport.flush();
  return frame;
}

/** A loopback port that refuses connections: bound once, then released. */
export async function refusedEndpoint(): Promise<Endpoint> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { host: '127.0.0.1', port };
}

export interface UnacceptingListener {
  endpoint: Endpoint;
  close(): Promise<void>;
}

/**
 * A listening port whose accept queue is full, so a new connect gets no answer
 * at all (the kernel drops the SYN) and only a connect timeout ends it. The
 * listener lives in a child process that is stopped (SIGSTOP) so it never
 * accepts; filler connections fill its queue.
 */
export async function startUnacceptingListener(): Promise<UnacceptingListener> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const s = require('net').createServer();
       s.listen({ host: '127.0.0.1', port: 0, backlog: 1 }, () => process.stdout.write(s.address().port + '\\n'));`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await firstLine(child).then(Number);
  child.kill('SIGSTOP');
  const endpoint = { host: '127.0.0.1', port };
  const fillers: net.Socket[] = [];
  for (let i = 0; i < 16; i++) {
    const { socket, connected } = await tryConnect(endpoint, 300);
    fillers.push(socket);
    if (!connected) break;
  }
  return {
    endpoint,
    close: async () => {
      for (const s of fillers) s.destroy();
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (d: Buffer) => {
      text += d.toString();
      const nl = text.indexOf('\n');
      if (nl >= 0) resolve(text.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`listener child exited (${code}) before listening`)));
  });
}

function tryConnect(endpoint: Endpoint, timeoutMs: number): Promise<{ socket: net.Socket; connected: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(endpoint);
    socket.on('error', () => {});
    const t = setTimeout(() => resolve({ socket, connected: false }), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(t);
      resolve({ socket, connected: true });
    });
  });
}
