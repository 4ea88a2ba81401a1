// Turns an Observation into per-source facts (pure). A source that failed
// yields its error and no facts; the store then leaves that source's history
// untouched. Parts of a source that could not be read (a corrupt /hosts/x)
// are "unknown": their earlier facts are kept, not closed.
import type { Observation, SourceReading } from '../collect/observation.js';
import type { NodeError, SourceError } from '../model/source-error.js';
import type { SchedulerTree } from '../model/tree.js';
import type { Fact, FactKind, LeafValue, PlacementValue } from './fact.js';
import type { SourceName } from './source-name.js';

/** Says whether an earlier fact that this collection did not see must be kept. */
export type KeepRule = (kind: FactKind, entity: string, previous: unknown) => boolean;

export type SourceFacts =
  | { source: SourceName; ok: true; facts: Fact[]; keep: KeepRule; reading: SourceReading<unknown> }
  | { source: SourceName; ok: false; error: SourceError; reading: SourceReading<unknown> };

const keepNothing: KeepRule = () => false;

function nodeErrorFacts(source: SourceName, errors: NodeError[]): Fact[] {
  return errors.map((e) => ({ source, kind: 'node_error', entity: e.path, value: { kind: e.kind, message: e.message } }));
}

function treeFacts(source: SourceName, tree: SchedulerTree): Fact[] {
  const facts: Fact[] = [];
  for (const leaf of tree.leaves) {
    facts.push({ source, kind: 'leaf', entity: leaf.id, value: { owner: leaf.owner, address: leaf.address } });
    for (const host of leaf.hosts) {
      facts.push({ source, kind: 'placement', entity: host.id, value: { leaf: leaf.id, address: host.address } });
    }
  }
  return facts;
}

/** Leaves (and their placements) stored under a /roles node that failed to read are unknown, not gone. */
function keepUnreadableRoles(errors: NodeError[], previousLeaves: Map<string, LeafValue>): KeepRule {
  const badOwners = new Set(errors.map((e) => e.path.slice(e.path.lastIndexOf('/') + 1)));
  if (badOwners.size === 0) return keepNothing;
  const keptLeaves = new Set<string>();
  for (const [id, leaf] of previousLeaves) if (leaf.owner && badOwners.has(leaf.owner)) keptLeaves.add(id);
  return (kind, entity, previous) => {
    if (kind === 'leaf') return keptLeaves.has(entity);
    if (kind === 'placement') return keptLeaves.has((previous as PlacementValue).leaf);
    return false;
  };
}

function keepUnreadableHosts(errors: NodeError[]): KeepRule {
  const bad = new Set(errors.map((e) => e.path.slice(e.path.lastIndexOf('/') + 1)));
  return (kind, entity) => kind === 'registration' && bad.has(entity);
}

function failed(source: SourceName, reading: SourceReading<unknown>): SourceFacts | null {
  return reading.result.ok ? null : { source, ok: false, error: reading.result.error, reading };
}

/**
 * Status facts close only when the set of nodes is known (both /roles and
 * /hosts were read); otherwise a node we did not probe keeps its last status.
 */
function statusFacts(obs: Observation): SourceFacts {
  const reading = obs.status;
  if (!reading.result.ok) return { source: 'status', ok: false, error: reading.result.error, reading };
  const facts: Fact[] = Object.entries(reading.result.value).map(([id, p]) => ({
    source: 'status',
    kind: 'status',
    entity: id,
    value: { status: p.status, address: p.address, message: p.message ?? null },
  }));
  const universeKnown = obs.roles.result.ok && obs.hosts.result.ok;
  return { source: 'status', ok: true, facts, keep: universeKnown ? keepNothing : () => true, reading };
}

export interface PreviousState {
  /** zk.roles leaves as last stored, for keeping those under unreadable /roles nodes. */
  zkLeaves: Map<string, LeafValue>;
}

export function sourceFacts(obs: Observation, previous: PreviousState): SourceFacts[] {
  const out: SourceFacts[] = [];
  const services = obs.services;
  out.push(
    failed('zk.services', services) ?? {
      source: 'zk.services',
      ok: true,
      reading: services,
      keep: keepNothing,
      facts: (services.result.ok ? services.result.value : []).flatMap((s) =>
        s.members.map((m): Fact => ({
          source: 'zk.services',
          kind: 'member',
          entity: `${s.service}/${m.name}`,
          value: { address: m.address, error: m.error },
        })),
      ),
    },
  );
  const roles = obs.roles;
  if (!roles.result.ok) out.push({ source: 'zk.roles', ok: false, error: roles.result.error, reading: roles });
  else {
    const { tree, errors } = roles.result.value;
    out.push({
      source: 'zk.roles',
      ok: true,
      reading: roles,
      facts: [...treeFacts('zk.roles', tree), ...nodeErrorFacts('zk.roles', errors)],
      keep: keepUnreadableRoles(errors, previous.zkLeaves),
    });
  }
  const hosts = obs.hosts;
  if (!hosts.result.ok) out.push({ source: 'zk.hosts', ok: false, error: hosts.result.error, reading: hosts });
  else {
    const { hosts: regs, errors } = hosts.result.value;
    const facts: Fact[] = regs.map(({ id, ...rest }) => ({ source: 'zk.hosts', kind: 'registration', entity: id, value: rest }));
    out.push({
      source: 'zk.hosts',
      ok: true,
      reading: hosts,
      facts: [...facts, ...nodeErrorFacts('zk.hosts', errors)],
      keep: keepUnreadableHosts(errors),
    });
  }
  const missing = obs.missing;
  out.push(
    failed('zk.missing', missing) ?? {
      source: 'zk.missing',
      ok: true,
      reading: missing,
      keep: keepNothing,
      facts: (missing.result.ok ? missing.result.value : []).map((id): Fact => ({
        source: 'zk.missing',
        kind: 'missing',
        entity: id,
        value: true,
      })),
    },
  );
  const chairman = obs.chairman;
  out.push(
    failed('chairman', chairman) ?? {
      source: 'chairman',
      ok: true,
      reading: chairman,
      keep: keepNothing,
      facts: chairman.result.ok ? treeFacts('chairman', chairman.result.value) : [],
    },
  );
  const root = obs.root;
  out.push(
    failed('root', root) ?? {
      source: 'root',
      ok: true,
      reading: root,
      keep: keepNothing,
      facts: (root.result.ok ? root.result.value : []).map((c): Fact => ({
        source: 'root',
        kind: 'child',
        entity: c.id,
        value: { owner: c.owner, address: c.address },
      })),
    },
  );
  out.push(statusFacts(obs));
  return out;
}

