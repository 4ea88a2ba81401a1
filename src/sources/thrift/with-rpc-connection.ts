// Open, use, close: the lifetime of a connection for one unit of work.
import type { Endpoint } from '../../model/ids.js';
import { err, type Result } from '../../model/result.js';
import type { SourceError } from '../../model/source-error.js';
import { openRpcConnection, type RpcConnection, type RpcOptions, type ThriftService } from './rpc-connection.js';

export async function withRpcConnection<T>(
  endpoint: Endpoint,
  options: RpcOptions,
  use: (connection: RpcConnection) => Promise<Result<T, SourceError>>,
): Promise<Result<T, SourceError>> {
  const opened = await openRpcConnection(endpoint, options);
  if (!opened.ok) return err(opened.error);
  try {
    return await use(opened.value);
  } finally {
    opened.value.close();
  }
}

/** One call on a connection of its own. */
export function callOnce<C, T>(
  endpoint: Endpoint,
  options: RpcOptions,
  service: ThriftService<C>,
  method: string,
  invoke: (client: C) => Promise<T>,
): Promise<Result<T, SourceError>> {
  return withRpcConnection(endpoint, options, (connection) => connection.call(service, method, invoke));
}
