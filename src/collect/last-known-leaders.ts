// The leaders' addresses as last read, from the history: what a collection
// falls back to when ZooKeeper cannot be read (leader-address.ts).
import { parseEndpoint } from '../config/endpoint-arg.js';
import type { ServiceName } from '../model/observation.js';
import type { SourceName } from '../snapshot/source-name.js';
import { type Db, lastSourceEndpoint } from '../store/index.js';
import type { LastKnownLeaders } from './leader-address.js';

const SOURCE_OF: Record<ServiceName, SourceName> = { chairman: 'chairman', 'root-scheduler': 'root' };

export function lastKnownLeaders(db: Db): LastKnownLeaders {
  const out: LastKnownLeaders = {};
  for (const service of Object.keys(SOURCE_OF) as ServiceName[]) {
    const last = lastSourceEndpoint(db, SOURCE_OF[service]);
    const endpoint = last ? parseEndpoint(last.endpoint) : null;
    if (last && endpoint?.ok) out[service] = { endpoint: endpoint.value, snapshotId: last.snapshotId };
  }
  return out;
}
