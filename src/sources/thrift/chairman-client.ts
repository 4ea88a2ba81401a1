// Chairman.get_schedulers: the chairman's view of the scheduler tree.
// Transport only; chairmanTree() reads the answer.
import photon from '../../generated/thrift/photon_types.js';
import type { GetSchedulersResponse } from '../../generated/thrift/photon_types.js';
import type { Endpoint } from '../../model/ids.js';
import type { Result } from '../../model/result.js';
import type { SourceError } from '../../model/source-error.js';
import { CHAIRMAN_SERVICE } from './photon-services.js';
import type { RpcOptions } from './rpc-connection.js';
import { callOnce } from './with-rpc-connection.js';

export function getChairmanSchedulers(
  endpoint: Endpoint,
  options: RpcOptions,
): Promise<Result<GetSchedulersResponse, SourceError>> {
  return callOnce(endpoint, options, CHAIRMAN_SERVICE, 'get_schedulers', (c) =>
    c.get_schedulers(new photon.GetSchedulersRequest()),
  );
}
