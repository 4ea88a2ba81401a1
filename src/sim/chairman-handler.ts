// The chairman's Thrift face: maps `Chairman` service calls onto SimChairman
// and its outcomes onto result codes. Handlers are async with exactly the IDL's
// parameters (the generated Processor picks promise style by arity).
import photon from '../generated/thrift/photon_types.js';
import type { Result } from '../model/result.js';

/** What the handler needs of the simulated chairman (SimChairman), named here so the two do not import each other. */
export interface ChairmanCalls {
  schedulers(): photon.SchedulerEntry[];
  registerHost(id: string, config: photon.HostConfig): Promise<Result<void, string>>;
  reportMissing(ids: readonly string[]): Promise<Result<void, string>>;
  reportResurrected(ids: readonly string[]): Promise<Result<void, string>>;
  unregisterHost(id: string): Promise<Result<void, string>>;
}

export class ChairmanHandler {
  constructor(private readonly chairman: ChairmanCalls) {}

  async get_schedulers(_request: photon.GetSchedulersRequest): Promise<photon.GetSchedulersResponse> {
    return new photon.GetSchedulersResponse({ result: photon.GetSchedulersResultCode.OK, schedulers: this.chairman.schedulers() });
  }

  async get_status(_request: photon.GetStatusRequest): Promise<photon.Status> {
    return new photon.Status({ type: photon.StatusType.READY, build_info: 'treesnap-sim chairman' });
  }

  async register_host(request: photon.RegisterHostRequest): Promise<photon.RegisterHostResponse> {
    const codes = photon.RegisterHostResultCode;
    if (!request.config?.address) {
      return new photon.RegisterHostResponse({ result: codes.SYSTEM_ERROR, error: 'config.address is required' });
    }
    const done = await this.chairman.registerHost(request.id ?? '', request.config);
    return done.ok
      ? new photon.RegisterHostResponse({ result: codes.OK })
      : new photon.RegisterHostResponse({ result: codes.SYSTEM_ERROR, error: done.error });
  }

  async report_missing(request: photon.ReportMissingRequest): Promise<photon.ReportMissingResponse> {
    const done = await this.chairman.reportMissing([...(request.hosts ?? []), ...(request.schedulers ?? [])]);
    const codes = photon.ReportMissingResultCode;
    return done.ok
      ? new photon.ReportMissingResponse({ result: codes.OK })
      : new photon.ReportMissingResponse({ result: codes.SYSTEM_ERROR, error: done.error });
  }

  async report_resurrected(request: photon.ReportResurrectedRequest): Promise<photon.ReportResurrectedResponse> {
    const done = await this.chairman.reportResurrected([...(request.hosts ?? []), ...(request.schedulers ?? [])]);
    const codes = photon.ReportResurrectedResultCode;
    return done.ok
      ? new photon.ReportResurrectedResponse({ result: codes.OK })
      : new photon.ReportResurrectedResponse({ result: codes.SYSTEM_ERROR, error: done.error });
  }

  async unregister_host(request: photon.UnregisterHostRequest): Promise<photon.UnregisterHostResponse> {
    const codes = photon.UnregisterHostResultCode;
    if (!request.id) return new photon.UnregisterHostResponse({ result: codes.SYSTEM_ERROR, error: 'id is required' });
    const done = await this.chairman.unregisterHost(request.id);
    return done.ok
      ? new photon.UnregisterHostResponse({ result: codes.OK })
      : new photon.UnregisterHostResponse({ result: codes.SYSTEM_ERROR, error: done.error });
  }
}
