// The leaders' addresses as last read, from the history: what a collection
// falls back to when ZooKeeper cannot be read (leader-address.ts).
import { parseEndpoint } from '../config/endpoint-arg.js';
import type { ServiceName } from '../model/observation.js';
import type { SourceName } from '../snapshot/source-name.js';
import { type Db, type HistoryStore, lastSourceEndpoint } from '../store/index.js';
import type { LastKnownLeaders } from './leader-address.js';

const SOURCE_OF: Record<ServiceName, SourceName> = { chairman: 'chairman', 'root-scheduler': 'root' };

type LastRead = { endpoint: string; snapshotId: number } | null;

function leadersFrom(lastOf: (source: SourceName) => LastRead): LastKnownLeaders {
  const out: LastKnownLeaders = {};
  for (const service of Object.keys(SOURCE_OF) as ServiceName[]) {
    const last = lastOf(SOURCE_OF[service]);
    const endpoint = last ? parseEndpoint(last.endpoint) : null;
    if (last && endpoint?.ok) out[service] = { endpoint: endpoint.value, snapshotId: last.snapshotId };
  }
  return out;
}

export function lastKnownLeaders(db: Db): LastKnownLeaders {
  return leadersFrom((source) => lastSourceEndpoint(db, source));
}

/** The same through the store's async contract (any engine). */
export async function lastKnownLeadersIn(store: HistoryStore): Promise<LastKnownLeaders> {
  const last = new Map<SourceName, LastRead>();
  for (const source of Object.values(SOURCE_OF)) last.set(source, await store.lastSourceEndpoint(source));
  return leadersFrom((source) => last.get(source) ?? null);
}
