// Serves the metrics registry over HTTP for Prometheus to scrape: GET /metrics.
// Bound to loopback by default; the history names every host of the cluster.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { err, ok, type Result } from '../model/result.js';
import { PROMETHEUS_CONTENT_TYPE } from './metrics-registry.js';

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  host: string;
  port: number;
  /** Called per scrape: the exposition text. */
  render: () => string;
}

function handle(server: Server, render: () => string): void {
  server.on('request', (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('treesnap: metrics are at /metrics\n');
      return;
    }
    let body: string;
    try {
      body = render();
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`treesnap: cannot render metrics: ${(e as Error).message}\n`);
      return;
    }
    res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
}

// Why a listen failed, in words that say what to do; other codes are shown as they are.
const LISTEN_WHY: Record<string, string> = {
  EADDRINUSE: 'the port is in use by another process (pick another --metrics-port)',
  EACCES: 'permission denied (ports below 1024 need root)',
  EADDRNOTAVAIL: 'this machine has no such address (see --metrics-host)',
};

export function startMetricsServer(opts: MetricsServerOptions): Promise<Result<MetricsServer, string>> {
  const server = createServer();
  // A scraper that stalls must not hold a socket forever.
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;
  handle(server, opts.render);
  return new Promise((resolve) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      resolve(err(`cannot listen on ${opts.host}:${opts.port}: ${LISTEN_WHY[e.code ?? ''] ?? e.code ?? e.message}`));
    });
    server.listen(opts.port, opts.host, () => {
      const addr = server.address() as AddressInfo;
      const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      resolve(
        ok({
          url: `http://${host}:${addr.port}/metrics`,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              server.closeAllConnections();
            }),
        }),
      );
    });
  });
}
