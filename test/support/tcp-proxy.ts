// A TCP proxy on 127.0.0.1 in front of one real server, for faults a real
// server cannot be asked to make on cue: `freeze()` holds every byte (and new
// connections) so the server looks alive but silent; `freezeAtRequest(n)` does
// so from the client's n-th request on (ZooKeeper and framed Thrift both send
// 4-byte length-prefixed frames), so a session opens and then goes silent; and
// `latencyMs` delays each direction by half of it, in order, to stand for a
// network's round trip.
import net from 'node:net';
import type { Endpoint } from '../../src/model/ids.js';

export interface TcpProxy {
  endpoint: Endpoint;
  /** Holds every byte in both directions, and new connections, until thaw(). */
  freeze(): void;
  thaw(): void;
  /** Freezes when a client connection sends its n-th frame (1-based), before forwarding it. */
  freezeAtRequest(n: number): void;
  /** Connections accepted so far. */
  readonly accepted: number;
  close(): Promise<void>;
}

export interface TcpProxyOptions {
  target: Endpoint;
  /** Added round trip: each direction is delayed by half of it (default 0). */
  latencyMs?: number;
}

/** Splits a byte stream into 4-byte length-prefixed frames, calling `onFrame` with each whole frame in order. */
function frameSplitter(onFrame: (frame: Buffer) => void): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32BE(0)) {
      const size = 4 + pending.readUInt32BE(0);
      onFrame(pending.subarray(0, size));
      pending = pending.subarray(size);
    }
  };
}

/** Forwards `from` to `to`, each chunk `delayMs` later than it arrived, in arrival order; nothing while frozen. */
function pipeDelayed(
  from: net.Socket,
  to: net.Socket,
  delayMs: number,
  isFrozen: () => boolean,
  onThaw: Set<() => void>,
  beforeFrame?: (frame: Buffer) => void,
): void {
  const queue: { due: number; chunk: Buffer }[] = [];
  let timer: NodeJS.Timeout | null = null;
  const flush = (): void => {
    timer = null;
    if (isFrozen()) return void onThaw.add(flush);
    const now = Date.now();
    while (queue.length && queue[0]!.due <= now) to.write(queue.shift()!.chunk);
    if (queue.length) timer = setTimeout(flush, queue[0]!.due - now);
  };
  const enqueue = (chunk: Buffer): void => {
    beforeFrame?.(chunk);
    queue.push({ due: Date.now() + delayMs, chunk });
    if (!timer) timer = setTimeout(flush, delayMs);
  };
  from.on('data', beforeFrame ? frameSplitter(enqueue) : enqueue);
  from.on('end', () => {
    const finish = (): void => (queue.length || isFrozen() ? void setTimeout(finish, 5) : void to.end());
    finish();
  });
}

export async function startTcpProxy(opts: TcpProxyOptions): Promise<TcpProxy> {
  const oneWay = (opts.latencyMs ?? 0) / 2;
  const sockets = new Set<net.Socket>();
  const waitingForThaw = new Set<() => void>();
  let frozen = false;
  let accepted = 0;
  let freezeAt: number | null = null;
  const connectUpstream = (client: net.Socket): void => {
    if (frozen) return void waitingForThaw.add(() => connectUpstream(client));
    const upstream = net.connect(opts.target.port, opts.target.host);
    sockets.add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on('error', drop).on('close', () => sockets.delete(upstream));
    client.on('error', drop).on('close', drop);
    let requests = 0;
    const countRequest = (): void => {
      requests += 1;
      if (freezeAt !== null && requests >= freezeAt) frozen = true;
    };
    pipeDelayed(client, upstream, oneWay, () => frozen, waitingForThaw, freezeAt === null ? undefined : countRequest);
    pipeDelayed(upstream, client, oneWay, () => frozen, waitingForThaw);
  };
  const server = net.createServer((client) => {
    accepted += 1;
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    connectUpstream(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: { host: '127.0.0.1', port: (server.address() as net.AddressInfo).port },
    freeze() {
      frozen = true;
    },
    freezeAtRequest(n) {
      freezeAt = n;
    },
    thaw() {
      frozen = false;
      freezeAt = null;
      const resume = [...waitingForThaw];
      waitingForThaw.clear();
      for (const f of resume) f();
    },
    get accepted() {
      return accepted;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
