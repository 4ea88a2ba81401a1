// A TCP proxy on loopback that stands for a network between a client and one
// server: every chunk, in each direction, reaches the other side half a round
// trip after it arrived, in the order it arrived (one queue per direction and
// connection), and so does a close. This kernel has no netem, so the bench puts
// one of these in front of ZooKeeper, the chairman and the root scheduler.
//
// What it cannot delay is the TCP handshake: the kernel completes a connect to
// the proxy's port before the proxy sees it. connect-delay.ts adds that round
// trip in the connecting process instead.
import net from 'node:net';
import type { Endpoint } from '../src/model/ids.js';
import { clockNow, PreciseClock, TOLERANCE_MS } from './precise-clock.js';

export interface LatencyProxyOptions {
  target: Endpoint;
  /** Added round trip, ms: each direction is delayed by half of it. 0 forwards at once (the proxy's own cost only). */
  rttMs: number;
  /** Where to listen; 127.0.0.1 and a free port when absent. */
  host?: string;
  port?: number;
  /** Shared between proxies (one worker thread for all); a new one, closed with the proxy, when absent. */
  clock?: PreciseClock;
}

export interface LatencyProxy {
  readonly endpoint: Endpoint;
  readonly rttMs: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

const END = Symbol('end');

/** Forwards `from` to `to` `delayMs` after each chunk (and the end) arrived, in arrival order. */
function forwardDelayed(from: net.Socket, to: net.Socket, delayMs: number, clock: PreciseClock): void {
  const queue: { due: number; chunk: Buffer | typeof END }[] = [];
  const deliver = (): void => {
    const now = clockNow() + TOLERANCE_MS; // as the clock runs it: what is due within its tolerance
    to.cork();
    while (queue.length > 0 && queue[0]!.due <= now) {
      const { chunk } = queue.shift()!;
      if (chunk === END) to.end();
      else if (!to.destroyed) to.write(chunk);
    }
    to.uncork();
    if (queue.length > 0) clock.at(queue[0]!.due, deliver);
  };
  const enqueue = (chunk: Buffer | typeof END): void => {
    if (delayMs <= 0 && queue.length === 0) {
      if (chunk === END) to.end();
      else to.write(chunk);
      return;
    }
    const due = clockNow() + delayMs;
    queue.push({ due, chunk });
    if (queue.length === 1) clock.at(due, deliver);
  };
  from.on('data', (chunk: Buffer) => enqueue(chunk));
  from.on('end', () => enqueue(END));
}

function pair(client: net.Socket, opts: LatencyProxyOptions, clock: PreciseClock, open: Set<net.Socket>): void {
  const upstream = net.connect({ host: opts.target.host, port: opts.target.port, allowHalfOpen: true });
  for (const s of [client, upstream]) {
    open.add(s);
    s.setNoDelay(true);
    s.on('close', () => open.delete(s));
  }
  const oneWay = opts.rttMs / 2;
  forwardDelayed(client, upstream, oneWay, clock);
  forwardDelayed(upstream, client, oneWay, clock);
  // A reset or a refused upstream ends the other side at once: no bytes are left to keep in order.
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
  client.on('close', (hadError) => hadError && upstream.destroy());
  upstream.on('close', (hadError) => hadError && client.destroy());
}

export async function startLatencyProxy(opts: LatencyProxyOptions): Promise<LatencyProxy> {
  if (!(opts.rttMs >= 0)) throw new RangeError(`rttMs must be >= 0, got ${opts.rttMs}`);
  const clock = opts.clock ?? new PreciseClock();
  const open = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    accepted += 1;
    pair(client, opts, clock, open);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as net.AddressInfo;
  return {
    endpoint: { host: opts.host ?? '127.0.0.1', port: address.port },
    rttMs: opts.rttMs,
    get accepted() {
      return accepted;
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of open) s.destroy();
      await closed;
      if (!opts.clock) await clock.close();
    },
  };
}

/**
 * The round trip a proxy really adds, as the bench reports beside its nominal one: `n` one-byte
 * echoes in sequence through a proxy at `rttMs` in front of an echo server on loopback. Sorted, ms.
 */
export async function measuredRoundTrips(rttMs: number, n: number, clock?: PreciseClock): Promise<number[]> {
  const echo = net.createServer((s) => {
    s.setNoDelay(true);
    s.on('data', (b: Buffer) => s.write(b));
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', () => resolve()));
  const proxy = await startLatencyProxy({ target: { host: '127.0.0.1', port: (echo.address() as net.AddressInfo).port }, rttMs, clock });
  const socket = net.connect(proxy.endpoint.port, '127.0.0.1');
  try {
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = clockNow();
      const answered = new Promise<void>((resolve) => socket.once('data', () => resolve()));
      socket.write('x');
      await answered;
      times.push(clockNow() - t0);
    }
    return times.sort((a, b) => a - b);
  } finally {
    socket.destroy();
    await proxy.close();
    await new Promise<void>((resolve) => echo.close(() => resolve()));
  }
}
