// Test-side Thrift calls against the simulator with thrift's own client
// (framed + compact + multiplexed), independent of treesnap's RPC clients.
import { connect } from 'node:net';
import thrift from 'thrift';
import type { Endpoint } from '../../src/model/ids.js';

type ClientClass<C> = new (output: thrift.TTransport, pClass: new (trans: thrift.TTransport) => thrift.TProtocol) => C;

/** Opens a connection, runs `call`, closes. Rejects on connection errors and after `timeoutMs`. */
export async function rpc<C, R>(
  endpoint: Endpoint,
  service: string,
  clientClass: ClientClass<C>,
  call: (client: C) => Promise<R>,
  timeoutMs = 3_000,
): Promise<R> {
  const connection = thrift.createConnection(endpoint.host, endpoint.port, {
    transport: thrift.TFramedTransport,
    protocol: thrift.TCompactProtocol,
  });
  const client = new thrift.Multiplexer().createClient(service, clientClass, connection);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      call(client),
      new Promise<never>((_, reject) => {
        connection.on('error', (e: Error) => reject(e));
        connection.on('close', () => reject(new Error(`${service}@${endpoint.port}: connection closed`)));
        timer = setTimeout(() => reject(new Error(`${service}@${endpoint.port}: timeout after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    connection.removeAllListeners('error');
    connection.on('error', () => undefined);
    connection.destroy();
  }
}

/** Resolves 'refused' when nothing listens, 'open' when a TCP connection opens. */
export function tcpState(endpoint: Endpoint, timeoutMs = 2_000): Promise<'open' | 'refused' | 'timeout'> {
  return new Promise((resolve) => {
    const socket = connect(endpoint.port, endpoint.host);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('timeout');
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve('open');
    });
    socket.once('error', () => {
      clearTimeout(timer);
      resolve('refused');
    });
  });
}
