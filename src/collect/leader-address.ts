// Where to read the chairman and the root scheduler (pure). ZooKeeper names
// each service's leader; when ZooKeeper itself cannot be read (a lost quorum,
// every member down), the address last read from it is used instead and the
// reading says so, because an outage of ZooKeeper is exactly when an operator
// needs the chairman's view. A ZooKeeper that answers "no leader" is believed:
// the last address is not tried then.
import type { Endpoint } from '../model/ids.js';
import { leaderOf } from '../model/leader.js';
import type { ServiceName, ServiceView, SourceReading } from '../model/observation.js';
import { err, ok, type Result } from '../model/result.js';
import { sourceError, type SourceError } from '../model/source-error.js';

export const SERVICE_PATHS: Record<ServiceName, string> = {
  chairman: '/services/chairman',
  'root-scheduler': '/services/root-scheduler',
};

/** A leader's address as last read from ZooKeeper, and the snapshot that read it. */
export interface LastKnownAddress {
  endpoint: Endpoint;
  snapshotId: number;
}

export type LastKnownLeaders = Partial<Record<ServiceName, LastKnownAddress>>;

export interface LeaderAddress {
  endpoint: Endpoint;
  /** The snapshot the address was last read in, when ZooKeeper could not be read now. */
  fromSnapshot: number | null;
}

/** The leader of a service as ZooKeeper names it (the original rule: exactly one member). */
function zkLeader(services: ServiceView[], service: ServiceName): Result<Endpoint, SourceError> {
  const members = services.find((s) => s.service === service)?.members ?? [];
  const only = leaderOf(members);
  if (!only) return err(sourceError('no_leader', `${members.length} members under ${SERVICE_PATHS[service]}`));
  if (!only.address) return err(sourceError('decode', `leader value unreadable: ${only.error ?? 'no address'}`));
  return ok(only.address);
}

export function leaderAddress(
  services: SourceReading<ServiceView[]>,
  service: ServiceName,
  override: Endpoint | undefined,
  lastKnown: LastKnownAddress | undefined,
): Result<LeaderAddress, SourceError> {
  if (override) return ok({ endpoint: override, fromSnapshot: null });
  if (services.result.ok) {
    const r = zkLeader(services.result.value, service);
    return r.ok ? ok({ endpoint: r.value, fromSnapshot: null }) : r;
  }
  if (lastKnown) return ok({ endpoint: lastKnown.endpoint, fromSnapshot: lastKnown.snapshotId });
  const e = services.result.error;
  return err(sourceError(e.kind, `${service} address unknown: ZooKeeper unreadable (${e.message})`));
}
