// The bench's latency proxy over real loopback sockets: bytes arrive intact and
// in order in both directions, per connection, and a close on one side reaches
// the other. No timing is asserted: only what arrives, and that it arrives.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startLatencyProxy, type LatencyProxy } from '../../../bench/latency-proxy.js';
import { PreciseClock } from '../../../bench/precise-clock.js';

const DEADLINE_MS = 30_000;

/** A server that keeps every connection's bytes and, once the client ends, answers `reply` in many writes and ends. */
async function startServer(reply: (received: Buffer) => Buffer[]): Promise<{ server: net.Server; port: number; received: Buffer[][] }> {
  const received: Buffer[][] = [];
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    const mine: Buffer[] = [];
    received.push(mine);
    socket.on('data', (b: Buffer) => mine.push(b));
    socket.on('end', async () => {
      for (const chunk of reply(Buffer.concat(mine))) {
        socket.write(chunk);
        await new Promise((r) => setImmediate(r));
      }
      socket.end();
    });
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as net.AddressInfo).port, received };
}

/** Sends `chunks` (yielding between writes, so they travel as separate segments), ends, and collects the answer until its end. */
async function exchange(port: number, chunks: Buffer[]): Promise<Buffer> {
  const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
  const answer: Buffer[] = [];
  socket.on('data', (b: Buffer) => answer.push(b));
  const ended = once(socket, 'end');
  await once(socket, 'connect');
  for (const c of chunks) {
    socket.write(c);
    await new Promise((r) => setImmediate(r));
  }
  socket.end();
  await ended;
  socket.destroy();
  return Buffer.concat(answer);
}

function randomChunks(n: number): Buffer[] {
  return Array.from({ length: n }, () => randomBytes(1 + Math.floor(Math.random() * 3000)));
}

/** The answer: the bytes received, reversed, cut into pieces, so the test sees whether the server got them right too. */
const reverseInPieces = (b: Buffer): Buffer[] => {
  const r = Buffer.from(b).reverse();
  const out: Buffer[] = [];
  for (let i = 0; i < r.length; i += 777) out.push(r.subarray(i, i + 777));
  return out;
};

const timeout = (ms: number) => new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref());

describe('latency proxy', () => {
  let clock: PreciseClock;
  before(() => {
    clock = new PreciseClock();
  });
  after(async () => {
    await clock.close();
  });

  for (const rttMs of [0, 0.5, 3]) {
    it(`forwards every byte in order both ways, per connection, at ${rttMs} ms round trip`, async () => {
      const upstream = await startServer(reverseInPieces);
      const proxy: LatencyProxy = await startLatencyProxy({ target: { host: '127.0.0.1', port: upstream.port }, rttMs, clock });
      try {
        const sent = [randomChunks(300), randomChunks(300), randomChunks(300)];
        const answers = await Promise.race([Promise.all(sent.map((chunks) => exchange(proxy.endpoint.port, chunks))), timeout(DEADLINE_MS)]);
        assert.equal(proxy.accepted, 3);
        const receivedByServer = upstream.received.map((r) => Buffer.concat(r));
        for (let i = 0; i < sent.length; i++) {
          const whole = Buffer.concat(sent[i]!);
          // Connections may reach the server in any order; each must hold one client's bytes exactly.
          assert.ok(receivedByServer.some((r) => r.equals(whole)), `connection ${i}: the server did not receive the client's bytes intact and in order`);
          assert.ok(answers[i]!.equals(Buffer.from(whole).reverse()), `connection ${i}: the client did not receive the server's answer intact and in order`);
        }
      } finally {
        await proxy.close();
        upstream.server.close();
      }
    });
  }

  it('closes the server side when the client goes away, and the client side when the server does', async () => {
    const serverSockets: net.Socket[] = [];
    const server = net.createServer((s) => {
      serverSockets.push(s);
      s.resume();
      s.on('error', () => undefined);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const proxy = await startLatencyProxy({ target: { host: '127.0.0.1', port: (server.address() as net.AddressInfo).port }, rttMs: 0.5, clock });
    try {
      const a = net.connect(proxy.endpoint.port, '127.0.0.1');
      await once(a, 'connect');
      a.write('hello');
      while (serverSockets.length < 1) await new Promise((r) => setTimeout(r, 5));
      const serverA = serverSockets[0]!;
      a.destroy();
      await Promise.race([once(serverA, "close"), timeout(DEADLINE_MS)]);

      const b = net.connect(proxy.endpoint.port, '127.0.0.1');
      b.on('error', () => undefined);
      await once(b, 'connect');
      b.write('hello');
      while (serverSockets.length < 2) await new Promise((r) => setTimeout(r, 5));
      const closed = once(b, 'close');
      serverSockets[1]!.destroy();
      await Promise.race([closed, timeout(DEADLINE_MS)]);
    } finally {
      await proxy.close();
      server.close();
    }
  });

  it('closes the client when nothing listens behind it', async () => {
    const nothing = net.createServer();
    nothing.listen(0, '127.0.0.1');
    await once(nothing, 'listening');
    const port = (nothing.address() as net.AddressInfo).port;
    await new Promise<void>((r) => nothing.close(() => r()));
    const proxy = await startLatencyProxy({ target: { host: '127.0.0.1', port }, rttMs: 0.5, clock });
    try {
      const c = net.connect(proxy.endpoint.port, '127.0.0.1');
      c.on('error', () => undefined);
      await Promise.race([once(c, 'close'), timeout(DEADLINE_MS)]);
    } finally {
      await proxy.close();
    }
  });
});
