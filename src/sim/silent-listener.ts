// A TCP listener that accepts connections and never answers: a hung process
// whose kernel still completes handshakes. Clients see their call time out
// rather than a refusal.
import net from 'node:net';

export interface SilentListener {
  port: number;
  close(): Promise<void>;
}

export function listenSilently(host: string, port: number): Promise<SilentListener> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      let closing: Promise<void> | null = null;
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close() {
          closing ??= new Promise<void>((done) => {
            server.close(() => done());
            for (const s of sockets) s.destroy();
          });
          return closing;
        },
      });
    });
  });
}
