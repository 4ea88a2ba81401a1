// The `agents` source as a collection reads it: whom to ask (pure), from the
// same collection's /roles and /hosts readings, then each agent. The owners
// are /roles'; when ZooKeeper cannot be read they are the chairman's (as the
// probes take the chairman's hosts then): an outage of ZooKeeper is when the
// agents' own word matters most. With neither read, whom to ask is unknown and
// so is the source, never empty. One silent agent is unknown for itself alone;
// when every agent asked is silent the source is unknown.
import type { HostRegistration } from '../model/host-config.js';
import type { AgentTarget, AgentsMode } from '../model/agent-view.js';
import type { Endpoint, HostId } from '../model/ids.js';
import { err, ok, type Result } from '../model/result.js';
import { sourceError, type SourceError } from '../model/source-error.js';
import type { SchedulerTree } from '../model/tree.js';
import { agentTargets, readAgents, type ReadAgentsOptions } from '../sources/thrift/read-agents.js';
import type { AgentView } from '../model/agent-view.js';

export interface AgentTargetInputs {
  mode: AgentsMode;
  zkTree: Result<{ tree: SchedulerTree }, SourceError>;
  registrations: Result<{ hosts: HostRegistration[] }, SourceError>;
  chairmanTree: Result<SchedulerTree, SourceError>;
}

export function agentTargetsOf({ mode, zkTree, registrations, chairmanTree }: AgentTargetInputs): Result<AgentTarget[], SourceError> {
  // owners: /roles (else the chairman) names them, /hosts gives their address (else the leaf's); all: /hosts alone.
  const ownersFrom = zkTree.ok ? zkTree.value.tree : chairmanTree.ok ? chairmanTree.value : null;
  if (mode === 'owners' && !ownersFrom) return err(targetsUnknown('/roles', zkTree.ok ? null : zkTree.error));
  if (mode === 'all' && !registrations.ok) return err(targetsUnknown('/hosts', registrations.error));
  const registered = new Map<HostId, Endpoint>();
  if (registrations.ok) for (const h of registrations.value.hosts) registered.set(h.id, h.address);
  const owners = new Map<HostId, Endpoint | null>();
  for (const l of ownersFrom?.leaves ?? []) if (l.owner) owners.set(l.owner, l.address);
  return ok(agentTargets(mode, owners, registered));
}

function targetsUnknown(path: string, cause: SourceError | null): SourceError {
  const why = path === '/roles' ? '/roles and the chairman not read' : `${path} not read`;
  return sourceError(cause?.kind ?? 'unreachable', `agents to ask unknown: ${why}${cause ? ` (${cause.message})` : ''}`);
}

export async function readAgentsSource(
  targets: Result<AgentTarget[], SourceError>,
  options: ReadAgentsOptions,
): Promise<Result<AgentView[], SourceError>> {
  if (!targets.ok) return targets;
  const views = await readAgents(targets.value, options);
  const first = views[0];
  if (first?.state === 'unknown' && views.every((v) => v.state === 'unknown')) {
    return err(sourceError(first.error.kind, `no agent answered (${views.length} asked); ${first.host}: ${first.error.message}`));
  }
  return ok(views);
}
