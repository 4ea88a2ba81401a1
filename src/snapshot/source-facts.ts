// Turning a reading into a source's facts (pure), the parts the source
// registry's entries share (source-registry.ts). A source that failed
// yields its error and no facts; the store then leaves that source's history
// untouched. Parts of a source that could not be read (a corrupt /hosts/x)
// are "unknown": their earlier facts are kept, not closed.
import type { Observation, SourceReading } from '../model/observation.js';
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

export function nodeErrorFacts(source: SourceName, errors: NodeError[]): Fact[] {
  return errors.map((e) => ({ source, kind: 'node_error', entity: e.path, value: { kind: e.kind, message: e.message } }));
}

export function treeFacts(source: SourceName, tree: SchedulerTree): Fact[] {
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
export function keepUnreadableRoles(errors: NodeError[], previousLeaves: Map<string, LeafValue>): KeepRule {
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

export function keepUnreadableHosts(errors: NodeError[]): KeepRule {
  const bad = new Set(errors.map((e) => e.path.slice(e.path.lastIndexOf('/') + 1)));
  return (kind, entity) => kind === 'registration' && bad.has(entity);
}

/**
 * A source's facts, or its error when the read failed. The facts are made when
 * first asked for: the daemon plans only the sources whose reading changed
 * since its last tick (src/store/head-state.ts), and building every source's
 * facts regardless made ~20,000 objects an unchanged tick (each placement
 * twice, each registration copied) only for the collector to drop them.
 */
export function fromReading<T>(
  source: SourceName,
  reading: SourceReading<T>,
  toFacts: (value: T) => Fact[],
  keep: (value: T) => KeepRule = () => keepNothing,
): SourceFacts {
  const r = reading.result;
  if (!r.ok) return { source, ok: false, error: r.error, reading };
  let facts: Fact[] | undefined;
  return {
    source,
    ok: true,
    get facts() {
      return (facts ??= toFacts(r.value));
    },
    keep: keep(r.value),
    reading,
  };
}

/**
 * Status facts close only when the set of nodes is known (both /roles and
 * /hosts were read); otherwise a node we did not probe keeps its last status.
 */
export function statusFacts(obs: Observation): SourceFacts {
  const universeKnown = obs.roles.result.ok && obs.hosts.result.ok;
  return fromReading(
    'status',
    obs.status,
    (probes) =>
      Object.entries(probes).map(([id, p]): Fact => ({
        source: 'status',
        kind: 'status',
        entity: id,
        value: { status: p.status, address: p.address, message: p.message ?? null },
      })),
    () => (universeKnown ? keepNothing : () => true),
  );
}

export interface PreviousState {
  /** zk.roles leaves as last stored, for keeping those under unreadable /roles nodes. */
  zkLeaves: Map<string, LeafValue>;
}
