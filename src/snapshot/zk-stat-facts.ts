// The `zk.stat` record (pure): ZooKeeper's own Stat of every node a collection
// read, one `stat` fact per path, stored like facts (a version only when a
// node's Stat changed). These are the records that prove exact times: a
// member's or /missing child's ctime, a /roles or /hosts node's mtime.
//
// A Stat not seen this time is closed only when its node is known to be
// gone: its source was read and no longer lists it. A failed source, or a
// node listed whose Stat could not be read, keeps the Stat as last known.
import type { Observation } from '../model/observation.js';
import type { ZkStat } from '../model/zk-stat.js';
import type { KeepRule } from './source-facts.js';
import type { SourceName } from './source-name.js';

/** Each node a collection reads, by its parent: the parent itself and its direct children. */
const PARENTS: readonly (readonly [string, SourceName])[] = [
  ['/services/chairman', 'zk.services'],
  ['/services/root-scheduler', 'zk.services'],
  ['/roles', 'zk.roles'],
  ['/hosts', 'zk.hosts'],
  ['/missing', 'zk.missing'],
];

/** The source whose reading holds `path`, or null for a path no source reads. */
export function statSourceOf(path: string): SourceName | null {
  for (const [parent, source] of PARENTS) {
    if (path === parent) return source;
    if (path.startsWith(`${parent}/`) && !path.slice(parent.length + 1).includes('/')) return source;
  }
  return null;
}

export interface StatFact {
  kind: 'stat';
  entity: string;
  value: ZkStat;
}

/** Paths the collection's readings list, so a Stat unseen there is unknown rather than gone. */
function listedPaths(obs: Observation): Set<string> {
  const out = new Set<string>();
  if (obs.services.result.ok) {
    for (const s of obs.services.result.value) for (const m of s.members) out.add(`/services/${s.service}/${m.name}`);
  }
  if (obs.roles.result.ok) for (const e of obs.roles.result.value.errors) out.add(e.path);
  if (obs.hosts.result.ok) {
    for (const h of obs.hosts.result.value.hosts) out.add(`/hosts/${h.id}`);
    for (const e of obs.hosts.result.value.errors) out.add(e.path);
  }
  if (obs.missing.result.ok) for (const id of obs.missing.result.value) out.add(`/missing/${id}`);
  return out;
}

export function statFacts(obs: Observation): { facts: StatFact[]; keep: KeepRule } {
  const facts: StatFact[] = [];
  for (const [path, stat] of Object.entries(obs.zkStats ?? {})) {
    if (statSourceOf(path)) facts.push({ kind: 'stat', entity: path, value: stat });
  }
  const read = new Set(PARENTS.map(([, s]) => s).filter((s) => obs[readingField(s)].result.ok));
  const listed = listedPaths(obs);
  const keep: KeepRule = (_kind, path) => {
    const source = statSourceOf(path);
    return source === null || !read.has(source) || listed.has(path);
  };
  return { facts, keep };
}

function readingField(source: SourceName): 'services' | 'roles' | 'hosts' | 'missing' {
  return source === 'zk.services' ? 'services' : source === 'zk.roles' ? 'roles' : source === 'zk.hosts' ? 'hosts' : 'missing';
}

/**
 * A Stat as canonicalJson writes it (keys sorted), written out directly: a
 * collection compares every node's Stat with the last one, 5,000 and more
 * per collection, and this is the bulk of that cost (a test keeps the two equal).
 * Joined, not a template: the daemon keeps each Stat's text, and a template's
 * cons string keeps a shell once flattened (canonical-json.ts).
 */
export function statJson(s: ZkStat): string {
  return [
    '{"ctime":', s.ctime, ',"cversion":', s.cversion, ',"czxid":', JSON.stringify(s.czxid), ',"ephemeralOwner":', JSON.stringify(s.ephemeralOwner),
    ',"mtime":', s.mtime, ',"mzxid":', JSON.stringify(s.mzxid), ',"pzxid":', JSON.stringify(s.pzxid), ',"version":', s.version, '}',
  ].join('');
}
