// The connect probe (the original tool's rule: ONLINE when a TCP connection
// opens), on a socket reused from one target to the next.
//
// Why reused: a collection probes every node, ~5,000 of them, and a new
// net.Socket per probe is a stream of a few dozen objects (~5 KB). In the
// daemon they were 16.7 of the 37.6 MiB a tick that reached the old
// generation only to die there (V8's heap profile of what major collections
// freed). Node reconnects a socket once its 'close' has been emitted
// (net.Socket#connect), so each prober waits for that before its next
// target: 5,000 probes of a loopback listener took ~200 ms of CPU instead of
// ~290, with no major collection instead of four
// (docs/performance-log.md, "Daemon", 2026-12-07 early morning).
import net from 'node:net';
import type { Endpoint } from '../../model/ids.js';
import type { StatusProbe } from '../../model/status.js';
import { sourceError } from '../../model/source-error.js';
import type { ConnectionScope } from '../connection-scope.js';
import { usableAddressError } from '../thrift/rpc-connection.js';
import { socketError } from '../thrift/rpc-error.js';

export class ConnectProber {
  private socket = new net.Socket();

  /**
   * Connects to `address` and closes at once. Resolves once the socket has
   * closed (so the next probe may reuse it), with the time the connect took.
   */
  probe(address: Endpoint, timeoutMs: number, scope?: ConnectionScope): Promise<StatusProbe> {
    const started = performance.now();
    const since = () => Math.round((performance.now() - started) * 1000) / 1000;
    const where = `${address.host}:${address.port}`;
    const unusable = usableAddressError(address) ?? scope?.ended;
    if (unusable) return Promise.resolve({ address, status: 'OFFLINE', latencyMs: since(), message: unusable.message });
    const socket = this.socket;
    return new Promise((resolve) => {
      let outcome: StatusProbe | null = null;
      const settle = (p: StatusProbe): void => {
        if (outcome) return;
        outcome = p;
        clearTimeout(timer);
        socket.destroy();
      };
      const offline = (message: string): StatusProbe => ({ address, status: 'OFFLINE', latencyMs: since(), message });
      // Answers without waiting for 'close' (a connect that never started emits none): this
      // socket is left to close on its own and the next target gets a new one.
      const abandon = (message: string): void => {
        clearTimeout(timer);
        socket.off('connect', onConnect).off('error', onError).off('close', onClose).on('error', () => undefined);
        scope?.release(socket);
        socket.destroy();
        this.socket = new net.Socket();
        resolve(offline(message));
      };
      const timer = setTimeout(() => abandon(`connect ${where}: no connection within ${timeoutMs} ms`), timeoutMs);
      const onConnect = (): void => settle({ address, status: 'ONLINE', latencyMs: since() });
      const onError = (e: Error): void => settle(offline(socketError(e, `connect ${where}`).message));
      // After 'close' the socket emits nothing more for this target: the next may reuse it.
      const onClose = (): void => {
        clearTimeout(timer);
        socket.off('connect', onConnect).off('error', onError);
        scope?.release(socket);
        // Only the scope ends a connecting socket without an error (destroy() emits 'close' alone).
        resolve(outcome ?? offline((scope?.ended ?? sourceError('unreachable', `connect ${where}: closed before connecting`)).message));
      };
      socket.once('connect', onConnect).on('error', onError).once('close', onClose);
      try {
        socket.connect({ host: address.host, port: address.port });
      } catch (e) {
        // Not seen: usableAddressError rules out what net.connect throws on.
        abandon(socketError(e, `connect ${where}`).message);
        return;
      }
      scope?.hold(socket);
    });
  }
}
