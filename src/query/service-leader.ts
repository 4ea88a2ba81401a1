// A service's members and leader from zk.services member facts (pure). The
// original rule: the leader exists when the service has exactly one member;
// its value is the leader's address.
import type { Endpoint } from '../model/ids.js';
import { leaderOf } from '../model/leader.js';
import type { MemberValue } from '../snapshot/fact.js';

export interface ServiceMember {
  name: string;
  address: Endpoint | null;
  error: string | null;
}

/** The service a member fact belongs to (its entity is "<service>/<member>"). */
export function serviceOfMember(entity: string): string {
  const at = entity.indexOf('/');
  return at < 0 ? entity : entity.slice(0, at);
}

export function serviceMembers(members: ReadonlyMap<string, MemberValue>, service: string): ServiceMember[] {
  const prefix = `${service}/`;
  const out: ServiceMember[] = [];
  for (const [entity, v] of members) {
    if (entity.startsWith(prefix)) out.push({ name: entity.slice(prefix.length), address: v.address, error: v.error });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function serviceLeader(members: ReadonlyMap<string, MemberValue>, service: string): Endpoint | null {
  return leaderOf(serviceMembers(members, service))?.address ?? null;
}

/** Services named by member facts, plus the ones always expected. */
export function serviceNames(members: ReadonlyMap<string, MemberValue>, expected: readonly string[]): string[] {
  const names = new Set(expected);
  for (const entity of members.keys()) names.add(serviceOfMember(entity));
  return [...names].sort();
}
