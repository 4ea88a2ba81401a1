// RootScheduler.get_schedulers (no argument, unlike the chairman's and the
// agent's): the root's own view of its children. rootChildren() reads it.
import type { GetSchedulersResponse } from '../../generated/thrift/photon_types.js';
import type { Endpoint } from '../../model/ids.js';
import type { Result } from '../../model/result.js';
import type { SourceError } from '../../model/source-error.js';
import { ROOT_SCHEDULER_SERVICE } from './photon-services.js';
import type { RpcOptions } from './rpc-connection.js';
import { callOnce } from './with-rpc-connection.js';

export function getRootSchedulers(
  endpoint: Endpoint,
  options: RpcOptions,
): Promise<Result<GetSchedulersResponse, SourceError>> {
  return callOnce(endpoint, options, ROOT_SCHEDULER_SERVICE, 'get_schedulers', (c) => c.get_schedulers());
}
