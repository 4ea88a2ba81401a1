// One entry per source (pure): where its reading sits in an Observation, how
// many things it read, and its facts. Adding a source is one entry here plus
// its reader (src/sources/) and its place in src/collect/collect.ts.
import type { Observation, SourceReading } from '../model/observation.js';
import type { Fact } from './fact.js';
import {
  fromReading,
  keepUnreadableHosts,
  keepUnreadableRoles,
  nodeErrorFacts,
  statusFacts,
  treeFacts,
  type PreviousState,
  type SourceFacts,
} from './source-facts.js';
import { SOURCES, type SourceName } from './source-name.js';
import { agentFacts } from './agent-facts.js';

export type ReadingField = keyof Omit<Observation, 'startedAt' | 'finishedAt' | 'zkStats'>;

type ReadingValue<F extends ReadingField> = Observation[F] extends SourceReading<infer T> ? T : never;

export interface SourceEntry<F extends ReadingField = ReadingField> {
  /** The Observation field that holds the source's reading. */
  reading: F;
  /** How many things a successful read found (members, leaves, hosts, nodes...). */
  count(value: ReadingValue<F>): number;
  /** The source's facts in one collection, or its error. */
  facts(obs: Observation, previous: PreviousState): SourceFacts;
}

const entry = <F extends ReadingField>(e: SourceEntry<F>): SourceEntry<F> => e;

export const SOURCE_REGISTRY: Record<SourceName, SourceEntry> = {
  'zk.services': entry({
    reading: 'services',
    count: (v) => v.reduce((n, s) => n + s.members.length, 0),
    facts: (obs) =>
      fromReading('zk.services', obs.services, (services) =>
        services.flatMap((s) =>
          s.members.map((m): Fact => ({
            source: 'zk.services',
            kind: 'member',
            entity: `${s.service}/${m.name}`,
            value: { address: m.address, error: m.error },
          })),
        ),
      ),
  }),
  'zk.roles': entry({
    reading: 'roles',
    count: (v) => v.tree.leaves.length,
    facts: (obs, previous) =>
      fromReading(
        'zk.roles',
        obs.roles,
        ({ tree, errors }) => [...treeFacts('zk.roles', tree), ...nodeErrorFacts('zk.roles', errors)],
        ({ errors }) => keepUnreadableRoles(errors, previous.zkLeaves),
      ),
  }),
  'zk.hosts': entry({
    reading: 'hosts',
    count: (v) => v.hosts.length,
    facts: (obs) =>
      fromReading(
        'zk.hosts',
        obs.hosts,
        ({ hosts, errors }) => [
          ...hosts.map(({ id, ...rest }): Fact => ({ source: 'zk.hosts', kind: 'registration', entity: id, value: rest })),
          ...nodeErrorFacts('zk.hosts', errors),
        ],
        ({ errors }) => keepUnreadableHosts(errors),
      ),
  }),
  'zk.missing': entry({
    reading: 'missing',
    count: (v) => v.length,
    facts: (obs) => fromReading('zk.missing', obs.missing, (ids) => ids.map((id): Fact => ({ source: 'zk.missing', kind: 'missing', entity: id, value: true }))),
  }),
  chairman: entry({
    reading: 'chairman',
    count: (v) => v.leaves.length,
    facts: (obs) => fromReading('chairman', obs.chairman, (tree) => treeFacts('chairman', tree)),
  }),
  root: entry({
    reading: 'root',
    count: (v) => v.length,
    facts: (obs) =>
      fromReading('root', obs.root, (children) =>
        children.map((c): Fact => ({ source: 'root', kind: 'child', entity: c.id, value: { owner: c.owner, address: c.address } })),
      ),
  }),
  status: entry({ reading: 'status', count: (v) => Object.keys(v).length, facts: statusFacts }),
  agents: entry({
    reading: 'agents',
    count: (v) => v.length,
    facts: (obs) => fromReading('agents', obs.agents, (views) => agentFacts(views)),
  }),
};

/** A source's reading in an observation. */
export function readingOf(obs: Observation, source: SourceName): SourceReading<unknown> {
  return obs[SOURCE_REGISTRY[source].reading];
}

/** Every source's reading, in SOURCES order. */
export function readingsOf(obs: Observation): SourceReading<unknown>[] {
  return SOURCES.map((s) => readingOf(obs, s));
}

/** What a successful read found, in number; null for a failed one. */
export function readingCount(source: SourceName, r: SourceReading<unknown>): number | null {
  return r.result.ok ? SOURCE_REGISTRY[source].count(r.result.value as never) : null;
}

/** Every source's facts (or error) in one collection, in SOURCES order. */
export function sourceFacts(obs: Observation, previous: PreviousState): SourceFacts[] {
  return SOURCES.map((s) => SOURCE_REGISTRY[s].facts(obs, previous));
}

