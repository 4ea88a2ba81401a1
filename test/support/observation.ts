// Builds Observations for store and query tests from a compact cluster
// description (pure; no I/O).
import type { AgentView } from '../../src/model/agent-view.js';
import type { Observation, ServiceName, ServiceView, SourceReading } from '../../src/model/observation.js';
import type { HostRegistration } from '../../src/model/host-config.js';
import type { Endpoint } from '../../src/model/ids.js';
import { err, ok } from '../../src/model/result.js';
import type { NodeError, SourceError } from '../../src/model/source-error.js';
import type { NodeStatus, StatusProbe } from '../../src/model/status.js';
import type { LeafNode, SchedulerTree } from '../../src/model/tree.js';

export interface ClusterSpec {
  /** leaf id → host ids; the first host owns the leaf. */
  leaves: Record<string, string[]>;
  missing?: string[];
  offline?: string[];
  /** overrides for the chairman's tree (defaults to the same as ZooKeeper) */
  chairmanLeaves?: Record<string, string[]>;
  failed?: Partial<Record<keyof Omit<Observation, 'startedAt' | 'finishedAt'>, SourceError>>;
  at?: number;
  port?: (host: string) => number;
  // Optional fault injection (all default to a cluster whose sources agree):
  /** the root scheduler's children (defaults to the ZooKeeper leaves) */
  rootLeaves?: Record<string, string[]>;
  /** hosts registered in /hosts but placed in no leaf (they are probed too) */
  extraRegistered?: string[];
  /** hosts placed in a leaf but absent from /hosts */
  unregistered?: string[];
  /** per-host changes to what /hosts/<id> holds (address, availability zone, ...) */
  registrationOverrides?: Record<string, Partial<Omit<HostRegistration, 'id'>>>;
  /** probe verdicts by node id (win over `offline`) */
  status?: Record<string, NodeStatus>;
  /** What each asked agent says (the agents source); none asked when absent. */
  agents?: AgentView[];
  /** members under /services/<service> (default: one each) */
  services?: Partial<Record<ServiceName, ServiceView['members']>>;
  /** unreadable nodes under /roles and /hosts */
  nodeErrors?: { roles?: NodeError[]; hosts?: NodeError[] };
}

export const ROOT_EP: Endpoint = { host: '127.0.0.1', port: 15000 };
export const CHAIRMAN_EP: Endpoint = { host: '127.0.0.1', port: 13000 };

function hostPort(spec: ClusterSpec, id: string): number {
  return spec.port ? spec.port(id) : 20000 + (Number(id.replace(/\D/g, '')) || 0);
}

function tree(spec: ClusterSpec, leaves: Record<string, string[]>): SchedulerTree {
  return {
    rootAddress: ROOT_EP,
    leaves: Object.entries(leaves).map(([id, hosts]): LeafNode => {
      const owner = hosts[0] ?? null;
      return {
        id,
        owner,
        address: owner ? { host: '127.0.0.1', port: hostPort(spec, owner) } : null,
        hosts: hosts.map((h) => ({ id: h, address: { host: '127.0.0.1', port: hostPort(spec, h) } })),
      };
    }),
  };
}

export function registration(spec: ClusterSpec, id: string): HostRegistration {
  return { ...defaultRegistration(spec, id), ...spec.registrationOverrides?.[id] };
}

function defaultRegistration(spec: ClusterSpec, id: string): HostRegistration {
  return {
    id,
    address: { host: '127.0.0.1', port: hostPort(spec, id) },
    availabilityZone: 'az1',
    datastores: [{ id: 'ds1', name: 'ds1', type: 'SHARED_VMFS', tags: [] }],
    networks: [{ id: 'nw1', types: ['VM'] }],
    imageDatastoreIds: ['ds1'],
    managementOnly: false,
    memoryMb: 65536,
    cpuCount: 16,
    esxVersion: '6.0',
    deploymentId: 'dep',
  };
}

function reading<T>(value: T, error: SourceError | undefined, endpoint: Endpoint | null = null): SourceReading<T> {
  return { durationMs: 1, endpoint, result: error ? err(error) : ok(value) };
}

function services(spec: ClusterSpec): ServiceView[] {
  return [
    { service: 'chairman', members: spec.services?.chairman ?? [{ name: 'node-c1', address: CHAIRMAN_EP, error: null }] },
    { service: 'root-scheduler', members: spec.services?.['root-scheduler'] ?? [{ name: 'node-r1', address: ROOT_EP, error: null }] },
  ];
}

export function observation(spec: ClusterSpec): Observation {
  const placed = Object.values(spec.leaves).flat();
  const hosts = [...placed, ...(spec.extraRegistered ?? [])];
  const status: Record<string, StatusProbe> = { ROOT: { address: ROOT_EP, status: spec.status?.ROOT ?? 'ONLINE', latencyMs: 0.2 } };
  for (const h of hosts) {
    const s: NodeStatus = spec.status?.[h] ?? (spec.offline?.includes(h) ? 'OFFLINE' : 'ONLINE');
    status[h] = { address: { host: '127.0.0.1', port: hostPort(spec, h) }, status: s, latencyMs: 0.3 };
  }
  const registered = hosts.filter((h) => !spec.unregistered?.includes(h));
  const f = spec.failed ?? {};
  const at = spec.at ?? 1_700_000_000_000;
  return {
    startedAt: at,
    finishedAt: at + 100,
    services: reading(services(spec), f.services),
    roles: reading({ tree: tree(spec, spec.leaves), errors: spec.nodeErrors?.roles ?? [] }, f.roles),
    hosts: reading({ hosts: registered.map((h) => registration(spec, h)), errors: spec.nodeErrors?.hosts ?? [] }, f.hosts),
    missing: reading([...(spec.missing ?? [])].sort(), f.missing),
    chairman: reading(tree(spec, spec.chairmanLeaves ?? spec.leaves), f.chairman, CHAIRMAN_EP),
    root: reading(
      tree(spec, spec.rootLeaves ?? spec.leaves).leaves.map((l) => ({ id: l.id, owner: l.owner, address: l.address })),
      f.root,
      ROOT_EP,
    ),
    status: reading(status, f.status),
    // No agent asked unless the spec says what each says; as in a collection, whom to ask is unknown without /roles and the chairman.
    agents: reading(spec.agents ?? [], f.agents ?? (f.roles && f.chairman && { kind: f.roles.kind, message: `agents to ask unknown: /roles and the chairman not read (${f.roles.message})` })),
  };
}
