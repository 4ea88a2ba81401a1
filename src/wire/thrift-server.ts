// A Thrift server speaking what every Photon service speaks: TFramedTransport +
// TCompactProtocol behind TMultiplexedProtocol service names. Used by the
// simulator and by integration tests; treesnap itself only acts as a client.
//
// Handlers given to the generated Processors must be async functions without
// default parameters: the generated code picks promise or callback style by the
// handler's parameter count, and a synchronous throw closes the connection.
import net from 'node:net';
import thrift from 'thrift';

export interface ThriftProcessor {
  process(input: thrift.TProtocol, output: thrift.TProtocol): void;
}

export interface ThriftServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Multiplexed service name (`Chairman`, `Host`, ...) -> generated Processor. */
  services: Record<string, ThriftProcessor>;
  /** Largest accepted request frame; the runtime's default (about 16 MB) otherwise. */
  maxFrameBytes?: number;
  /** Connection-level errors (client resets, garbage requests). Ignored when absent. */
  onError?: (error: Error) => void;
}

export interface RunningThriftServer {
  host: string;
  port: number;
  /** Stops listening and drops open connections. Idempotent. */
  close(): Promise<void>;
}

export async function startThriftServer(options: ThriftServerOptions): Promise<RunningThriftServer> {
  const processor = new thrift.MultiplexedProcessor();
  for (const [name, service] of Object.entries(options.services)) processor.registerProcessor(name, service);

  const server = thrift.createMultiplexServer(processor, {
    transport: thrift.TFramedTransport,
    protocol: thrift.TCompactProtocol,
    ...(options.maxFrameBytes !== undefined ? { maxLength: options.maxFrameBytes } : {}),
  });
  // Without a listener, one misbehaving client's error would crash the process.
  server.on('error', (e: Error) => options.onError?.(e));
  const sockets = trackSockets(server);

  await listen(server, options.host, options.port);
  const address = server.address() as net.AddressInfo;
  let closing: Promise<void> | null = null;
  return {
    host: options.host,
    port: address.port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return closing;
    },
  };
}

function trackSockets(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

function listen(server: net.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
