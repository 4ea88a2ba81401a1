// The TCP handshake's round trip, which no user-space proxy can add: the
// kernel answers a connect to the proxy's port before the proxy sees it. In a
// process that calls delayConnects(rtt), every TCP connect starts later than
// it was asked for, and the socket meanwhile counts as connecting (writes
// wait, as they would for the SYN's answer). The bench calls it in both
// collectors alike, so a probe (a bare connect) costs one round trip as on a
// network, and a ZooKeeper session or an RPC one more than its requests.
//
// The delay is calibrated as the proxies are: connects to a local listener are
// timed, and the delay is lowered by what the machinery adds of its own (the
// clock's wake-ups), so that a connect takes `rtt` more than on loopback at the median.
import net from 'node:net';
import { clockNow, PreciseClock } from './precise-clock.js';

type Connect = (this: net.Socket, ...args: unknown[]) => net.Socket;

let installed: { delayMs: number } | null = null;

export interface ConnectDelay {
  /** What each connect waits before it starts. */
  delayMs: number;
  /** Median connect time to a local listener, before and after the delay was installed. */
  loopbackMs: number;
  delayedMs: number;
}

async function medianConnectMs(port: number, n: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = clockNow();
    await new Promise<void>((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve())).once('error', reject);
    });
    times.push(clockNow() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(n / 2)]!;
}

export async function delayConnects(rttMs: number): Promise<ConnectDelay | null> {
  if (installed) throw new Error(`connects are already delayed by ${installed.delayMs} ms`);
  if (!(rttMs > 0)) return null;
  const delay = { delayMs: rttMs };
  installed = delay;
  const clock = new PreciseClock({ realtime: true });
  const listener = net.createServer((s) => s.destroy());
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', () => resolve()));
  const port = (listener.address() as net.AddressInfo).port;
  const loopbackMs = await medianConnectMs(port, 200);
  const original = net.Socket.prototype.connect as unknown as Connect;
  const originalDestroy = net.Socket.prototype.destroy;
  // Destroys per socket: a connect is dropped when its socket was destroyed after it was asked
  // for, not when it is a socket reconnected after its 'close' (still `destroyed` until the real
  // connect runs; treesnap's probes reuse their sockets so).
  const destroys = new WeakMap<net.Socket, number>();
  net.Socket.prototype.destroy = function (this: net.Socket, ...args: Parameters<net.Socket['destroy']>) {
    destroys.set(this, (destroys.get(this) ?? 0) + 1);
    return originalDestroy.apply(this, args);
  };
  let reentry = false;
  const delayed: Connect = function (this: net.Socket, ...args: unknown[]) {
    if (reentry) return original.apply(this, args);
    (this as net.Socket & { connecting: boolean }).connecting = true;
    const destroyedBefore = destroys.get(this) ?? 0;
    clock.at(clockNow() + delay.delayMs, () => {
      if ((destroys.get(this) ?? 0) !== destroyedBefore) return;
      reentry = true;
      try {
        original.apply(this, args);
      } catch (e) {
        this.destroy(e as Error);
      } finally {
        reentry = false;
      }
    });
    return this;
  };
  net.Socket.prototype.connect = delayed as unknown as typeof net.Socket.prototype.connect;
  let delayedMs = await medianConnectMs(port, 200);
  for (let i = 0; i < 2; i++) {
    delay.delayMs = Math.max(0, delay.delayMs - (delayedMs - loopbackMs - rttMs));
    delayedMs = await medianConnectMs(port, 200);
  }
  await new Promise<void>((resolve) => listener.close(() => resolve()));
  return { delayMs: delay.delayMs, loopbackMs, delayedMs };
}
