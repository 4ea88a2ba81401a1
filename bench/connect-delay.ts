// The TCP handshake's round trip, which no user-space proxy can add: the
// kernel answers a connect to the proxy's port before the proxy sees it. In a
// process that calls delayConnects(rtt), every TCP connect starts `rtt` ms
// after it was asked for, and the socket meanwhile counts as connecting (writes
// wait, as they would for the SYN's answer). The bench calls it in both
// collectors alike, so a probe (a bare connect) costs one round trip as on a
// network, and a ZooKeeper session or an RPC one more than its requests.
import net from 'node:net';
import { clockNow, PreciseClock } from './precise-clock.js';

type Connect = (this: net.Socket, ...args: unknown[]) => net.Socket;

let installed: { rttMs: number } | null = null;

export function delayConnects(rttMs: number): void {
  if (installed) throw new Error(`connects are already delayed by ${installed.rttMs} ms`);
  if (!(rttMs > 0)) return;
  installed = { rttMs };
  const clock = new PreciseClock({ realtime: true });
  const original = net.Socket.prototype.connect as unknown as Connect;
  let reentry = false;
  const delayed: Connect = function (this: net.Socket, ...args: unknown[]) {
    if (reentry) return original.apply(this, args);
    (this as net.Socket & { connecting: boolean }).connecting = true;
    clock.at(clockNow() + rttMs, () => {
      if (this.destroyed) return;
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
}
