// The chairman's write-side calls. The collector never makes them; tests and
// the demo drive the simulator with them as agents drive a real chairman.
// Each returns the raw response: its result code is the caller's to check.
import type {
  RegisterHostRequest,
  RegisterHostResponse,
  ReportMissingRequest,
  ReportMissingResponse,
  ReportResurrectedRequest,
  ReportResurrectedResponse,
  UnregisterHostRequest,
  UnregisterHostResponse,
} from '../../src/generated/thrift/photon_types.js';
import type { Endpoint } from '../../src/model/ids.js';
import type { Result } from '../../src/model/result.js';
import type { SourceError } from '../../src/model/source-error.js';
import { CHAIRMAN_SERVICE } from '../../src/sources/thrift/photon-services.js';
import type { RpcOptions } from '../../src/sources/thrift/rpc-connection.js';
import { callOnce } from '../../src/sources/thrift/with-rpc-connection.js';

export function registerHost(
  endpoint: Endpoint,
  request: RegisterHostRequest,
  options: RpcOptions,
): Promise<Result<RegisterHostResponse, SourceError>> {
  return callOnce(endpoint, options, CHAIRMAN_SERVICE, 'register_host', (c) => c.register_host(request));
}

export function reportMissing(
  endpoint: Endpoint,
  request: ReportMissingRequest,
  options: RpcOptions,
): Promise<Result<ReportMissingResponse, SourceError>> {
  return callOnce(endpoint, options, CHAIRMAN_SERVICE, 'report_missing', (c) => c.report_missing(request));
}

export function reportResurrected(
  endpoint: Endpoint,
  request: ReportResurrectedRequest,
  options: RpcOptions,
): Promise<Result<ReportResurrectedResponse, SourceError>> {
  return callOnce(endpoint, options, CHAIRMAN_SERVICE, 'report_resurrected', (c) => c.report_resurrected(request));
}

export function unregisterHost(
  endpoint: Endpoint,
  request: UnregisterHostRequest,
  options: RpcOptions,
): Promise<Result<UnregisterHostResponse, SourceError>> {
  return callOnce(endpoint, options, CHAIRMAN_SERVICE, 'unregister_host', (c) => c.unregister_host(request));
}
